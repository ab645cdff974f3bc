import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as contract from "@twofactor/functions/http/routes";
import { startLocalRuntime, type LocalRuntime } from "@twofactor/local";
import { ORIGIN_SECRET_HEADER, VIEWER_ADDRESS_HEADER } from "@twofactor/functions/edge/origin-check";
import { buildBundles, type Bundle } from "../../bench/bundles.js";
import { client } from "../support/api.js";
import { totpCode } from "../support/authenticator.js";
import { PASSWORD, signUpAndLogin } from "../support/flows.js";
import { apiEvent, invokeBundle } from "../support/lambda-bundle.js";

/**
 * Each function's bundle holds only what its use case needs: built as the stacks build them
 * (infra/bundling.ts, SST's esbuild), then read from esbuild's metafile — what went into the bundle,
 * and which external imports it keeps (the argon2 addon stays external, so it shows as an import).
 */
const HEAVY = ["@aws-sdk", "@aws-crypto", "@simplewebauthn", "@node-rs/argon2"] as const;
const BUILT = ["health", "login", "challenge-totp", "challenge-recovery-code", "reauthenticate"] as const;

let outDir: string;
const packages = new Map<string, Set<string>>();

/**
 * Every package a bundle holds code of or imports, by name (`@aws-sdk/client-dynamodb`, `@node-rs/argon2`, …).
 * From the output, not the inputs: esbuild lists as inputs what it read, tree-shaken files included.
 */
function packagesOf(output: Bundle["output"]): Set<string> {
  const names = new Set<string>();
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
    if (name && bytesInOutput > 0) names.add(name);
  }
  for (const imported of output.imports) if (imported.external) names.add(imported.path);
  return names;
}

const holds = (route: string, prefix: string) => [...packages.get(route)!].some((name) => name === prefix || name.startsWith(`${prefix}/`));
const heavyIn = (route: string) => HEAVY.filter((prefix) => holds(route, prefix));

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), "twofactor-bundles-test-"));
  // As beside a deployed bundle, the external argon2 addon is found in a node_modules above it.
  await symlink(fileURLToPath(new URL("../../node_modules", import.meta.url)), path.join(outDir, "node_modules"));
  const bundles = await buildBundles(BUILT.map((route) => `functions/http/${route}.handler`), outDir);
  for (const route of BUILT) packages.set(route, packagesOf(bundles.get(`functions/http/${route}.handler`)!.output));
}, 120_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe("function bundles", () => {
  it("health holds no AWS client, Encryption SDK, WebAuthn library or argon2", () => {
    expect(heavyIn("health")).toEqual([]);
  });

  it("login holds argon2 and the store's client, but no Encryption SDK and no WebAuthn library", () => {
    expect(heavyIn("login")).toEqual(["@aws-sdk", "@node-rs/argon2"]);
  });

  it("the TOTP challenge holds the Encryption SDK, but no argon2 and no WebAuthn library", () => {
    expect(heavyIn("challenge-totp")).toEqual(["@aws-sdk", "@aws-crypto"]);
  });

  it("a handler builds its own route's schemas only: no other route's entry or request schema is in its bundle", async () => {
    const login = await readFile(path.join(outDir, "functions/http/login.mjs"), "utf8");
    const holdsText = (text: string) => login.includes(text);
    expect(holdsText(contract.login.description)).toBe(true);
    const others = contract.routes.filter((route) => route !== contract.login);
    expect(others.flatMap((route) => ("description" in route ? [route.description] : [])).filter(holdsText)).toEqual([]);
    // Messages of request schemas only other routes use: a team's id, a security key's response.
    expect(["Expected a team's id.", "Expected base64url."].filter(holdsText)).toEqual([]);
  });

  it("the recovery-code challenge and code reauthentication hold no WebAuthn library; the recovery code no Encryption SDK either", () => {
    expect(heavyIn("challenge-recovery-code")).toEqual(["@aws-sdk"]);
    expect(heavyIn("reauthenticate")).toEqual(["@aws-sdk", "@aws-crypto"]);
  });
});

/**
 * The bundles as deployed, not only their contents: each runs in a process of its own with only the
 * environment a function is given — the role's credentials in AWS_* variables (here the runtime's,
 * which its stand-ins check) and nothing else to find credentials in (the bundles keep no other link
 * of the SDK's credential chain), names kept only where a library sets them — against the local
 * stand-ins of the table, the key store and KMS.
 */
describe("the deployed bundles", () => {
  let system: LocalRuntime;
  const FROM_THE_STACK = [
    "AWS_REGION", "TABLE_NAME", "DYNAMODB_ENDPOINT", "EVENT_BUS_NAME", "EVENTBRIDGE_ENDPOINT", "KMS_KEY_ARN", "KMS_ENDPOINT",
    "BRANCH_KEY_TABLE_NAME", "BRANCH_KEY_ID", "WEBAUTHN_RP_ID", "WEBAUTHN_ORIGINS",
  ];
  const SECRET = "origin-secret-of-the-stage";
  const VIEWER = "198.51.100.23";
  const lambdaEnvironment = () => ({
    ...Object.fromEntries(FROM_THE_STACK.map((name) => [name, process.env[name]!])),
    ORIGIN_VERIFY_SECRET: SECRET,
    PATH: process.env.PATH ?? "",
    AWS_ACCESS_KEY_ID: system.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: system.credentials.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  });
  const bundle = (route: (typeof BUILT)[number]) => path.join(outDir, "functions/http", `${route}.mjs`);
  /** What CloudFront adds to every request it forwards to the API. */
  const viaCloudFront = { [ORIGIN_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: `${VIEWER}:50123` };

  beforeAll(async () => {
    system = await startLocalRuntime();
  });
  afterAll(() => system?.stop());

  it("a user with an authenticator app signs in through the login and TOTP challenge bundles", async () => {
    const api = client(system.url);
    const user = await signUpAndLogin(api);
    // The bundles read the wall clock, as on Lambda (not the test clock other files move on), and accept a
    // step either side of their own: the app activates with the current step and signs in with the next,
    // so the two never share a step and each code holds for at least 30 s.
    const { secret } = (await api.post("/v1/me/totp", undefined, user.token)).body as { secret: string };
    expect((await api.post("/v1/me/totp/activate", { code: totpCode(secret, new Date()) }, user.token)).status).toBe(200);

    const login = await invokeBundle(bundle("login"), apiEvent({
      method: "POST", path: "/v1/auth/login", route: "/v1/auth/login", body: { email: user.email, password: PASSWORD }, headers: viaCloudFront,
    }), lambdaEnvironment());
    expect(login.statusCode, login.body).toBe(200);
    const challengeId = (JSON.parse(login.body!) as { challenge: { id: string } }).challenge.id;

    const verified = await invokeBundle(bundle("challenge-totp"), apiEvent({
      method: "POST", path: `/v1/auth/challenges/${challengeId}/totp`, route: "/v1/auth/challenges/{challengeId}/totp",
      pathParameters: { challengeId }, body: { code: totpCode(secret, new Date(Date.now() + 30_000)) }, headers: viaCloudFront,
    }), lambdaEnvironment());
    expect(verified.statusCode, verified.body).toBe(201);
    const { token } = (JSON.parse(verified.body!) as { session: { token: string } }).session;
    expect((await api.get("/v1/me", token)).status).toBe(200);
    // The security log names the viewer's address CloudFront saw, not the edge's that API Gateway saw.
    await system.bus.idle();
    const events = (await api.get("/v1/me/security-events", token)).body as { items: { type: string; ip?: string }[] };
    expect(events.items.filter((event) => event.type === "LoginSucceeded").map((event) => event.ip)).toContain(VIEWER);
  });

  it("health answers from its bundle through CloudFront, and refuses a call that bypasses it (the execute-api URL)", async () => {
    const health = (headers?: Record<string, string>) =>
      invokeBundle(bundle("health"), apiEvent({ method: "GET", path: "/v1/health", route: "/v1/health", headers }), lambdaEnvironment());
    expect((await health(viaCloudFront)).statusCode).toBe(200);
    const direct = await health();
    expect(direct.statusCode).toBe(403);
    expect(JSON.parse(direct.body!)).toMatchObject({ code: "forbidden" });
  });
});
