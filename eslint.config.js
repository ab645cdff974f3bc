import js from "@eslint/js";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/** What the deployed functions are built from: their code outside tests may import only `dependencies`. */
const DEPLOYED = ["events", "packages/core", "packages/aws", "packages/http", "functions"];
const WORKSPACES = [...DEPLOYED, "packages/local", "packages/console"];
const DOMAIN_ONLY = "packages/core imports nothing from AWS, middy or node:http: add a port (ports.ts) and an adapter instead.";

export default tseslint.config(
  { ignores: ["node_modules/", ".data/", ".sst/", "cdk.out/", "coverage/", "**/*.d.ts", "packages/console/dist/"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // `z` is zod's whole API as one object: esbuild cannot tree-shake it (≈470 KB in every bundle, ≈110 KB as a namespace import).
      "no-restricted-syntax": ["error", {
        selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z']",
        message: "Use `import * as z from \"zod\"`, which esbuild can tree-shake.",
      }],
    },
  },

  {
    // Each file imports only packages its closest package.json declares. The root (infra, tests,
    // benches, scripts) has its workspaces through `workspaces`: not listed again, or SST's build of
    // sst.config.ts would leave them external, and Node cannot load their .ts files.
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createNodeResolver()] },
    rules: { "import-x/no-extraneous-dependencies": "error" },
  },
  {
    // A workspace declares the other workspaces it imports too.
    files: WORKSPACES.map((workspace) => `${workspace}/**/*.ts`),
    rules: { "import-x/no-extraneous-dependencies": ["error", { includeInternal: true }] },
  },
  {
    // Development-only packages stay out of what is deployed: only tests there may import devDependencies.
    files: DEPLOYED.map((workspace) => `${workspace}/**/*.ts`),
    ignores: ["**/*.test.ts"],
    rules: { "import-x/no-extraneous-dependencies": ["error", { includeInternal: true, devDependencies: false }] },
  },
  {
    // The domain talks to the world through its ports only.
    files: ["packages/core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: ["aws-lambda", "node:http", "node:https", "http", "https"].map((name) => ({ name, message: DOMAIN_ONLY })),
        patterns: [{ group: ["@aws-sdk/*", "@aws-crypto/*", "@aws-lambda-powertools/*", "@middy/*"], message: DOMAIN_ONLY }],
      }],
    },
  },

  {
    // Tests read JSON answers as a frontend would: untyped.
    files: ["tests/**/*.ts", "**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      // A test that cannot run fails and says what is missing: no test is skipped, conditionally or not.
      "no-restricted-syntax": ["error",
        {
          selector: "MemberExpression[object.name=/^(describe|suite|it|test|bench)$/][property.name=/^(skip|skipIf|runIf|todo|only)$/]",
          message: "No skipped, conditional or focused tests: a test that cannot run must fail and say what is missing.",
        },
        {
          selector: "MemberExpression[object.type='MemberExpression'][object.object.name=/^(describe|suite|it|test)$/][property.name=/^(skip|skipIf|runIf|todo|only)$/]",
          message: "No skipped, conditional or focused tests: a test that cannot run must fail and say what is missing.",
        },
        {
          selector: "CallExpression[callee.property.name='skip']",
          message: "No skipping from inside a test (context.skip): fail and say what is missing.",
        },
      ],
    },
  },
);
