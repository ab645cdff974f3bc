import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Match, type Template } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTableInput, keys as tableKeys } from "@twofactor/aws";
import { SOURCE } from "@twofactor/events";
import { QUEUE_DELIVERY, subscriptions } from "@twofactor/events/subscriptions";
import { fallbackRoute, routes } from "@twofactor/functions/http/routes";
import { allHandlers } from "@twofactor/functions/handlers";
import { METRICS } from "@twofactor/functions/metric-names";
import { API_5XX_PERCENT, isCredentialRoute } from "../../infra/api.js";
import { Alarms, Keys, Storage } from "../../infra/app.js";
import { DELIVERY, OUTBOX_AGE_ALARM_SECONDS, OUTBOX_SWEEP_HANDLER, QUEUE_AGE_ALARM_SECONDS, QUEUE_CONSUMER_ACTIONS } from "../../infra/bus.js";
import { esbuildOptions, sstEsbuild } from "../../infra/bundling.js";
import { keyUserRoleName, NATIVE_ADDON } from "../../infra/functions.js";
import { ADMIN_ACTIONS } from "../../infra/keys.js";
import { BRANCH_KEY_KMS_ACTIONS, BRANCH_KEY_MAKER_HANDLER, BRANCH_KEY_STORE_ACTIONS, branchKeyMakerRoleName } from "../../infra/branch-key-maker.js";
import { AUDIT_PARTITION_PREFIX, AUDIT_PARTITIONS, DEFAULT_GRANTS, grantsFor, handlerGrants, keyUsers } from "../../infra/permissions.js";
import { stageConfig } from "../../infra/stages.js";
import { synthesize } from "../../infra/synthesize.js";
import {
  actionsOf, allStatements, functionsByHandler, refId, resources, statementsOfFunction, templateOf, type Statement,
} from "./template.js";

const STAGE = "test";
const stackName = (id: string) => `${STAGE}-twofactor-${id}`;
const PURPOSE_TOTP = { "kms:EncryptionContext:purpose": "totp" };
const BRANCH_KEY_CONTEXT = { "kms:EncryptionContext:tablename": `${STAGE}-twofactor-branch-keys`, "kms:EncryptionContext:branch-key-id": "totp-secrets" };

let outdir: string, prodOutdir: string;
let assembly: CloudAssembly, prodAssembly: CloudAssembly;
let storage: Template, keys: Template, alarmStack: Template, bus: Template, api: Template;

/** What a prod deploy must be given (infra/stages.ts refuses to synthesize prod without it). */
const PROD_ENV = { CORS_ORIGINS: "https://app.example.com", WEBAUTHN_RP_ID: "example.com", WEBAUTHN_ORIGINS: "https://app.example.com" };
const ALARM_SUBSCRIBERS = "oncall@example.com,https://pager.example.com/hooks/twofactor";

function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  return run().finally(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  });
}

/**
 * One synth of every stack for the tests, then one of the data stacks on `prod` (no functions, so
 * quick). In sequence, in one process: SST rewrites files under .sst/ for each app it creates.
 */
beforeAll(async () => {
  outdir = await mkdtemp(path.join(tmpdir(), "twofactor-cdk-"));
  prodOutdir = await mkdtemp(path.join(tmpdir(), "twofactor-cdk-prod-"));
  ({ assembly } = await withEnv({ ALARM_SUBSCRIBERS }, () => synthesize(STAGE, { outdir })));
  storage = templateOf(assembly, stackName("Storage"));
  keys = templateOf(assembly, stackName("Keys"));
  alarmStack = templateOf(assembly, stackName("Alarms"));
  bus = templateOf(assembly, stackName("Bus"));
  api = templateOf(assembly, stackName("Api"));
  ({ assembly: prodAssembly } = await withEnv(PROD_ENV, () => synthesize("prod", { outdir: prodOutdir, stacks: [Storage, Keys, Alarms] })));
}, 600_000); // both synths; npm test runs this file beside the e2e tests on 2 cores, shared with whatever else the machine runs

afterAll(async () => {
  for (const dir of [outdir, prodOutdir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const templates = () => ({ storage, keys, alarmStack, bus, api });

describe("storage", () => {
  it("declares the table the local runtime creates: keys, the sparse outbox index, TTL", () => {
    const local = createTableInput("ignored");
    const [table] = Object.values(resources(storage, "AWS::DynamoDB::Table"));
    expect(Object.keys(resources(storage, "AWS::DynamoDB::Table"))).toHaveLength(1);
    const p = table!.Properties;
    expect(p.KeySchema).toEqual(local.KeySchema);
    expect(p.AttributeDefinitions).toEqual(expect.arrayContaining(local.AttributeDefinitions!));
    expect(p.AttributeDefinitions).toHaveLength(local.AttributeDefinitions!.length);
    expect(p.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect(p.GlobalSecondaryIndexes).toEqual([expect.objectContaining({
      IndexName: "outbox",
      KeySchema: [{ AttributeName: "outboxShard", KeyType: "HASH" }, { AttributeName: "outboxDue", KeyType: "RANGE" }],
      Projection: { ProjectionType: "KEYS_ONLY" },
    })]);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: "expiresAt", Enabled: true });
  });

  it("is on demand, encrypted, with point-in-time recovery, and disposable outside prod", () => {
    storage.hasResource("AWS::DynamoDB::Table", {
      Properties: Match.objectLike({
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      }),
      DeletionPolicy: "Delete",
    });
  });
});

describe("keys", () => {
  const keyPolicy = () => {
    const [key] = Object.values(resources(keys, "AWS::KMS::Key"));
    return (key!.Properties.KeyPolicy as { Statement: (Statement & { Principal: unknown; Sid?: string })[] }).Statement;
  };
  const roleNameOf = (handler: string) => keyUserRoleName(STAGE, "us-east-1", handler);

  it("has one symmetric key with rotation and an alias", () => {
    keys.resourceCountIs("AWS::KMS::Key", 1);
    keys.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    keys.hasResourceProperties("AWS::KMS::Alias", { AliasName: `alias/${STAGE}-twofactor-totp-secrets` });
    const [key] = Object.values(resources(keys, "AWS::KMS::Key"));
    expect(key!.Properties.KeySpec ?? "SYMMETRIC_DEFAULT").toBe("SYMMETRIC_DEFAULT");
  });

  it("lets the account administer the key and the branch key maker's role alone make branch keys: no decrypting, no grant-making", () => {
    const unconditioned = keyPolicy().filter((statement) => !statement.Condition);
    expect(unconditioned).toHaveLength(1);
    expect(actionsOf(unconditioned[0]!).sort()).toEqual([...ADMIN_ACTIONS].sort());
    for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncrypt*", "kms:CreateGrant", "kms:*"]) {
      expect(actionsOf(unconditioned[0]!), action).not.toContain(action);
    }
    const makeBranchKeys = keyPolicy().find((statement) => statement.Sid === "MakeBranchKeys")!;
    expect(actionsOf(makeBranchKeys).sort()).toEqual([...BRANCH_KEY_KMS_ACTIONS].sort());
    expect(makeBranchKeys.Condition!.StringEquals).toEqual({ "kms:EncryptionContext:tablename": `${STAGE}-twofactor-branch-keys` });
    const makers = makeBranchKeys.Condition!.ArnEquals!["aws:PrincipalArn"];
    expect(JSON.stringify(makers)).toMatch(new RegExp(`:role/${branchKeyMakerRoleName(STAGE, "us-east-1")}"`));
    expect([makers].flat()).toHaveLength(1);
  });

  it("makes the first branch key at deploy time: a custom resource whose function runs as the maker's role, with the store's grants only", () => {
    const [branchKey] = Object.values(resources(keys, "Custom::BranchKey"));
    expect(branchKey!.Properties).toMatchObject({ BranchKeyId: "totp-secrets", TableName: { Ref: expect.stringMatching(/^BranchKeys/) } });
    const fns = resources(keys, "AWS::Lambda::Function");
    const maker = Object.values(fns).find((fn) => fn.Properties.Handler === BRANCH_KEY_MAKER_HANDLER)!;
    expect(maker.Properties.Runtime).toBe("nodejs22.x");
    expect((maker.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({ BRANCH_KEY_ID: "totp-secrets" });
    const provider = Object.values(fns).find((fn) => JSON.stringify(fn.Properties.Environment ?? {}).includes("USER_ON_EVENT_FUNCTION_ARN"))!;
    expect(refId(branchKey!.Properties.ServiceToken)).toBe(Object.entries(fns).find(([, fn]) => fn === provider)![0]);
    const role = resources(keys, "AWS::IAM::Role")[refId(maker.Properties.Role)!]!;
    expect(role.Properties.RoleName).toBe(branchKeyMakerRoleName(STAGE, "us-east-1"));
    const statements = statementsOfFunction(keys, maker);
    const onStore = statements.find((st) => JSON.stringify(st.Resource).includes("BranchKeys"))!;
    expect(actionsOf(onStore).sort()).toEqual([...BRANCH_KEY_STORE_ACTIONS].sort());
    const onKey = statements.find((st) => actionsOf(st).some((a) => a.startsWith("kms:")))!;
    expect(actionsOf(onKey).sort()).toEqual([...BRANCH_KEY_KMS_ACTIONS].sort());
    expect(onKey.Condition).toEqual({ StringEquals: { "kms:EncryptionContext:tablename": `${STAGE}-twofactor-branch-keys` } });
    expect(statements).toHaveLength(2);
  });

  it("grants Decrypt to the roles of exactly the handlers permissions.ts names: of the branch key, and of secrets sealed before (purpose totp)", () => {
    const uses = keyPolicy().filter((statement) => statement.Condition && statement.Sid !== "MakeBranchKeys");
    expect(uses.map((statement) => statement.Sid).sort()).toEqual(["UseDecrypt", "UseDecryptBranchKey"]);
    for (const statement of uses) {
      const grant = statement.Sid === "UseDecrypt" ? "kms:Decrypt" : "kms:Decrypt@branch-keys";
      expect(actionsOf(statement)).toEqual(["kms:Decrypt"]);
      const arns = statement.Condition!.ArnEquals!["aws:PrincipalArn"] as unknown[];
      const names = arns.map((arn) => JSON.stringify(arn).match(/:role\/([^"]+)"/)![1]).sort();
      expect(names, grant).toEqual(keyUsers(grant).map(roleNameOf).sort());
      expect(statement.Condition!.StringEquals, grant).toEqual(grant === "kms:Decrypt" ? PURPOSE_TOTP : BRANCH_KEY_CONTEXT);
    }
    // Sealing needs the branch key only: no handler makes a KMS data key any more.
    expect(keyUsers("kms:Decrypt@branch-keys")).toContain("functions/http/start-totp-enrollment.handler");
    expect(keyUsers("kms:Decrypt")).not.toContain("functions/http/start-totp-enrollment.handler");
  });

  it("gives those names to the key users' roles, and only they hold key actions, each for its context", () => {
    const withKms = [api, bus].flatMap((template) => [...functionsByHandler(template)]
      .filter(([, { fn }]) => statementsOfFunction(template, fn).some((s) => actionsOf(s).some((a) => a.startsWith("kms:"))))
      .map(([handler, { fn }]) => {
        const role = resources(template, "AWS::IAM::Role")[refId(fn.Properties.Role)!]!;
        expect(role.Properties.RoleName, handler).toBe(roleNameOf(handler));
        const conditions = statementsOfFunction(template, fn).filter((st) => actionsOf(st).some((a) => a.startsWith("kms:"))).map((st) => st.Condition);
        expect(conditions, handler).toEqual(expect.arrayContaining([{ StringEquals: BRANCH_KEY_CONTEXT }]));
        for (const condition of conditions) expect([PURPOSE_TOTP, BRANCH_KEY_CONTEXT], handler).toContainEqual(condition!.StringEquals);
        return handler;
      }));
    expect(withKms.sort()).toEqual([...new Set([...keyUsers("kms:Decrypt"), ...keyUsers("kms:Decrypt@branch-keys")])].sort());
    for (const handler of withKms) expect(roleNameOf(handler).length).toBeLessThanOrEqual(64);
  });

  it("has the branch key store's table (the library's keys), and only the key users read it, by GetItem", () => {
    keys.hasResourceProperties("AWS::DynamoDB::Table", {
      TableName: `${STAGE}-twofactor-branch-keys`,
      KeySchema: [{ AttributeName: "branch-key-id", KeyType: "HASH" }, { AttributeName: "type", KeyType: "RANGE" }],
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    const readers = [api, bus].flatMap((template) => [...functionsByHandler(template)]
      .filter(([, { fn }]) => statementsOfFunction(template, fn).some((s) => JSON.stringify(s.Resource).includes("BranchKeys")))
      .map(([handler, { fn }]) => {
        const onStore = statementsOfFunction(template, fn).filter((s) => JSON.stringify(s.Resource).includes("BranchKeys"));
        expect(onStore.flatMap(actionsOf), handler).toEqual(["dynamodb:GetItem"]);
        return handler;
      }));
    expect(readers.sort()).toEqual(keyUsers("kms:Decrypt@branch-keys").sort());
  });
});

describe("functions", () => {
  const all = () => [...functionsByHandler(api), ...functionsByHandler(bus)];
  const assetOf = (fn: { Properties: Record<string, unknown> }) => path.join(outdir, `asset.${(fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, "")}`);

  it("are one per handler of routes.ts, the $default route, subscriptions.ts and schedule.ts", () => {
    expect(all().map(([handler]) => handler).sort()).toEqual([...allHandlers].sort());
  });

  it("run Node.js 22 on arm64 with the environment the composition root reads", () => {
    expect(all().length).toBeGreaterThan(routes.length);
    for (const [handler, { fn }] of all()) {
      expect(fn.Properties.Runtime, handler).toBe("nodejs22.x");
      expect(fn.Properties.Architectures, handler).toEqual(["arm64"]);
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const name of ["TABLE_NAME", "KMS_KEY_ARN", "BRANCH_KEY_TABLE_NAME", "EVENT_BUS_NAME", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL", "POWERTOOLS_METRICS_NAMESPACE", "AUDIT_RETENTION_DAYS"]) {
        expect(env[name], `${handler} ${name}`).toBeDefined();
      }
      // Source maps ship in the asset but cost cold-start time when enabled: off unless someone debugs.
      expect(env.NODE_OPTIONS, handler).toBeUndefined();
      expect(env.WEBAUTHN_ORIGINS, handler).toBe(stageConfig(STAGE).corsOrigins.join(","));
      expect(env.DYNAMODB_ENDPOINT).toBeUndefined();
      expect(env.LOCAL_KEY_FILE).toBeUndefined();
      expect(env.OUTBOX_SHARDS, handler).toBe(String(stageConfig(STAGE).outboxShards));
      expect(env.POWERTOOLS_METRICS_NAMESPACE, handler).toBe(`twofactor/${STAGE}`);
      expect(env.POWERTOOLS_LOG_LEVEL, handler).toBe(stageConfig(STAGE).logLevel);
      // JSON logs at the stage's level; Lambda's own START/END/REPORT lines only from WARN up.
      expect(fn.Properties.LoggingConfig, handler).toEqual({
        LogGroup: { Ref: expect.any(String) }, LogFormat: "JSON", ApplicationLogLevel: stageConfig(STAGE).logLevel, SystemLogLevel: "WARN",
      });
    }
  });

  it("are minified ESM bundles with source maps, and argon2's linux-arm64 addon beside the password routes' bundles only", () => {
    // Nothing else in an asset: no leftovers of an npm install with nothing to install (patches/sst+2.49.8.patch).
    const contents = (dir: string) => readdirSync(dir).sort();
    const withArgon2: string[] = [];
    for (const [handler, { fn }] of all()) {
      const dir = assetOf(fn);
      const file = `${handler.replace(/\.handler$/, "")}.mjs`;
      const bundle = readFileSync(path.join(dir, file), "utf8");
      expect(existsSync(path.join(dir, `${file}.map`)), handler).toBe(true);
      expect(bundle.length / bundle.split("\n").length, handler).toBeGreaterThan(1000); // minified: long lines
      if (!bundle.includes(`"@node-rs/argon2"`)) { // external, not bundled
        expect(contents(dir), handler).toEqual(["functions"]);
        continue;
      }
      withArgon2.push(handler);
      expect(contents(dir), handler).toEqual(["functions", "node_modules"]);
      const addon = path.join(dir, NATIVE_ADDON);
      expect(existsSync(addon), `${handler}: ${addon}`).toBe(true);
      expect(readFileSync(addon).readUInt16LE(18), handler).toBe(183); // e_machine = EM_AARCH64
      expect(statSync(path.join(dir, "node_modules/@node-rs/argon2/index.js")).isFile(), handler).toBe(true);
    }
    // Sign-up and login hash and verify passwords; the composition gives no other handler the hasher.
    expect(withArgon2.sort()).toEqual(["functions/http/login.handler", "functions/http/sign-up.handler"]);
  });

  it("hold the same bundle as a build of their handler alone", async () => {
    // The synth builds every function in one esbuild run (patches/sst+2.49.8.patch): that must change no output.
    const module = "functions/http/challenge-totp";
    const [, { fn }] = all().find(([handler]) => handler === `${module}.handler`)!;
    const alone = path.join(outdir, "alone", `${module}.mjs`);
    await sstEsbuild().build(esbuildOptions(`${module}.ts`, alone));
    const same = readFileSync(path.join(assetOf(fn), `${module}.mjs`), "utf8") === readFileSync(alone, "utf8");
    expect(same, "the asset's bundle differs from a build of its handler alone").toBe(true);
  });

  it("get exactly the table, index, key and bus actions permissions.ts grants their handler, on those resources", () => {
    for (const [template, fns] of [[api, functionsByHandler(api)], [bus, functionsByHandler(bus)]] as const) {
      for (const [handler, { fn }] of fns) {
        const grants = grantsFor(handler);
        const statements = statementsOfFunction(template, fn);
        const expected = [
          ...grants.map((grant) => grant.replace(/@.*$/, "")), // a grant on another resource is a statement of its own
          ...(subscriptions.some((sub) => sub.handler === handler) ? QUEUE_CONSUMER_ACTIONS : []),
        ].sort();
        expect(statements.flatMap(actionsOf).sort(), handler).toEqual(expected);
        for (const statement of statements.filter((st) => actionsOf(st).some((a) => a.startsWith("dynamodb:")))) {
          const onIndex = JSON.stringify(statement.Resource).includes("/index/");
          expect(JSON.stringify(statement.Resource), handler).toMatch(onIndex ? /\/index\/outbox/ : /TableArn|Table|BranchKeys/);
          if (onIndex) expect(actionsOf(statement), handler).toEqual(["dynamodb:Query"]);
        }
      }
    }
  });

  it("write the audit log's partitions only from its consumer, and update or delete none of them (dynamodb:LeadingKeys)", () => {
    expect([tableKeys.userAudit("u"), tableKeys.teamAudit("t")].every((pk) => pk.startsWith(AUDIT_PARTITION_PREFIX))).toBe(true);
    const onTable = (statement: Statement) => actionsOf(statement).some((a) => /^dynamodb:(Put|Update|Delete)Item$/.test(a)) &&
      !JSON.stringify(statement.Resource).includes("BranchKeys");
    const auditWriters: string[] = [];
    for (const template of [api, bus]) {
      for (const [handler, { fn }] of functionsByHandler(template)) {
        for (const statement of statementsOfFunction(template, fn).filter(onTable)) {
          const like = statement.Condition?.["ForAllValues:StringLike"]?.["dynamodb:LeadingKeys"];
          if (like) {
            auditWriters.push(handler);
            expect(like, handler).toEqual([AUDIT_PARTITIONS]);
            expect(actionsOf(statement), handler).toEqual(["dynamodb:PutItem"]);
          } else {
            expect(statement.Condition, handler).toEqual({ "ForAllValues:StringNotLike": { "dynamodb:LeadingKeys": [AUDIT_PARTITIONS] } });
          }
        }
      }
    }
    expect(auditWriters).toEqual(["functions/events/audit-log.handler"]);
  });

  it("let only the sweep query the outbox index, and publish only for source twofactor", () => {
    const onIndex = Object.entries(handlerGrants).filter(([, grants]) => grants.includes("dynamodb:Query@outbox")).map(([handler]) => handler);
    expect(onIndex).toEqual([OUTBOX_SWEEP_HANDLER]);
    for (const template of [api, bus]) {
      for (const [handler, { fn }] of functionsByHandler(template)) {
        for (const statement of statementsOfFunction(template, fn).filter((s) => actionsOf(s).includes("events:PutEvents"))) {
          expect(statement.Condition, handler).toEqual({ StringEquals: { "events:source": SOURCE } });
        }
      }
    }
  });

  it("default a route added later to the table and the bus without the key", () => {
    expect(grantsFor("functions/http/some-future-route.handler")).toEqual(DEFAULT_GRANTS);
    expect(DEFAULT_GRANTS.some((grant) => grant.startsWith("kms:") || grant.includes("@"))).toBe(false);
    for (const handler of Object.keys(handlerGrants)) expect(handler).toMatch(/^functions\/(http|events)\/[a-z-]+\.handler$/);
  });
});

describe("api", () => {
  it("has one route and one function per entry of routes.ts, and a $default route for the rest", () => {
    const routeResources = Object.values(resources(api, "AWS::ApiGatewayV2::Route"));
    const integrations = resources(api, "AWS::ApiGatewayV2::Integration");
    const fns = resources(api, "AWS::Lambda::Function");
    expect(routeResources).toHaveLength(routes.length + 1);
    expect(functionsByHandler(api).size).toBe(routes.length + 1);
    for (const { routeKey, handler } of [...routes.map((r) => ({ routeKey: `${r.method} ${r.path}`, handler: r.handler })), { routeKey: "$default", handler: fallbackRoute.handler }]) {
      const found = routeResources.find((r) => r.Properties.RouteKey === routeKey);
      expect(found, routeKey).toBeDefined();
      const join = (found!.Properties.Target as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1];
      const integration = integrations[refId(join[1])!]!;
      const fn = fns[refId(integration.Properties.IntegrationUri)!]!;
      expect(fn.Properties.Handler).toBe(handler);
    }
  });

  it("throttles the stage, and each credential route tighter, logs access, and allows the stage's origins only", () => {
    const config = stageConfig(STAGE);
    const [stage] = Object.values(resources(api, "AWS::ApiGatewayV2::Stage"));
    expect(stage!.Properties).toMatchObject({
      DefaultRouteSettings: { ThrottlingRateLimit: config.throttle.rate, ThrottlingBurstLimit: config.throttle.burst },
      AccessLogSettings: { DestinationArn: expect.anything(), Format: expect.any(String) },
    });
    const credentialRoutes = routes.filter(isCredentialRoute).map((r) => `${r.method} ${r.path}`);
    expect(credentialRoutes).toEqual(expect.arrayContaining(["POST /v1/auth/login", "POST /v1/auth/challenges/{challengeId}/totp", "POST /v1/users"]));
    expect(credentialRoutes.filter((key) => key.includes("/v1/auth/"))).toHaveLength(routes.filter((r) => r.path.startsWith("/v1/auth/")).length);
    const settings = stage!.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual([...credentialRoutes].sort());
    for (const limit of Object.values(settings)) {
      expect(limit).toEqual({ ThrottlingRateLimit: config.credentialThrottle.rate, ThrottlingBurstLimit: config.credentialThrottle.burst });
      expect(limit.ThrottlingRateLimit).toBeLessThan(config.throttle.rate);
      expect(limit.ThrottlingBurstLimit).toBeLessThan(config.throttle.burst);
    }
    // A stage whose route settings name a route not yet created fails to deploy: it waits for them.
    const routeIds = Object.entries(resources(api, "AWS::ApiGatewayV2::Route"))
      .filter(([, r]) => credentialRoutes.includes(r.Properties.RouteKey as string)).map(([id]) => id);
    const stageResource = Object.values(api.toJSON().Resources as Record<string, { Type: string; DependsOn?: string[] }>)
      .find((r) => r.Type === "AWS::ApiGatewayV2::Stage")!;
    expect(stageResource.DependsOn).toEqual(expect.arrayContaining(routeIds));

    const [httpApi] = Object.values(resources(api, "AWS::ApiGatewayV2::Api"));
    const cors = httpApi!.Properties.CorsConfiguration as { AllowOrigins: string[]; AllowCredentials: boolean };
    expect(cors.AllowOrigins).toEqual(config.corsOrigins);
    expect(cors.AllowOrigins).not.toContain("*");
  });

  it("alarms on the share of 5xx answers", () => {
    const alarm = Object.values(resources(api, "AWS::CloudWatch::Alarm")).find((a) => a.Properties.Metrics);
    expect(alarm).toBeDefined();
    const queries = alarm!.Properties.Metrics as { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Namespace: string } } }[];
    expect(queries.find((q) => q.Expression)!.Expression).toMatch(/100 \* errors \/ requests/);
    expect(queries.flatMap((q) => (q.MetricStat ? [q.MetricStat.Metric.MetricName] : [])).sort()).toEqual(["5xx", "Count"]);
    expect(alarm!.Properties).toMatchObject({ Threshold: API_5XX_PERCENT, ComparisonOperator: "GreaterThanThreshold" });
  });
});

describe("console site", () => {
  it("serves the console from S3 through CloudFront, built to call the Api stack's URL", () => {
    const site = templateOf(assembly, stackName("Console"));
    expect(Object.keys(resources(site, "AWS::S3::Bucket"))).toHaveLength(1);
    expect(Object.keys(resources(site, "AWS::CloudFront::Distribution"))).toHaveLength(1);
    const [uploader] = Object.values(resources(site, "Custom::S3Uploader"));
    const apiUrl = { "Fn::ImportValue": expect.stringMatching(/^test-twofactor-Api:.*ApiEndpoint/) };
    expect(uploader!.Properties.replaceValues).toEqual([
      { files: "**/*.html", search: "{{ CONSOLE_API_URL }}", replace: apiUrl },
      { files: "**/*.js", search: "{{ CONSOLE_API_URL }}", replace: apiUrl },
    ]);
    // What was uploaded: the page allows calls to that URL only, besides its own origin.
    const page = readFileSync(new URL("../../packages/console/dist/index.html", import.meta.url), "utf8");
    expect(page).toContain("connect-src 'self' {{ CONSOLE_API_URL }};");
    expect(page).not.toMatch(/unsafe-inline|unsafe-eval|<script>|<style>/);
    expect(JSON.stringify(site.toJSON().Outputs.ConsoleUrl.Value)).toContain("DomainName");
  });

  it("lets the console read the CSV's next page (Link) across origins", () => {
    const [httpApi] = Object.values(resources(api, "AWS::ApiGatewayV2::Api"));
    expect(httpApi!.Properties.CorsConfiguration).toMatchObject({ ExposeHeaders: ["link"] });
  });
});

describe("stage configuration", () => {
  it("puts the console's origin (CONSOLE_ORIGIN) first: allowed by CORS, and the relying party of a disposable stage", () => {
    const config = stageConfig("alice", { CONSOLE_ORIGIN: "https://d111.cloudfront.net" });
    expect(config.corsOrigins).toEqual(["https://d111.cloudfront.net", "http://localhost:3000"]);
    expect(config.serviceEnvironment).toMatchObject({ WEBAUTHN_RP_ID: "d111.cloudfront.net" });
    expect(stageConfig("prod", { ...PROD_ENV, CONSOLE_ORIGIN: "https://console.example.com" }).corsOrigins)
      .toEqual(["https://console.example.com", "https://app.example.com"]);
    expect(() => stageConfig("prod", { ...PROD_ENV, CONSOLE_ORIGIN: "http://console.example.com" })).toThrow(/https:\/\/ origins only/);
    expect(() => stageConfig("alice", { CONSOLE_ORIGIN: "https://d111.cloudfront.net/app" })).toThrow(/CONSOLE_ORIGIN must be an origin/);
  });

  it("takes CORS origins from CORS_ORIGINS and refuses '*'", () => {
    expect(stageConfig("prod", { ...PROD_ENV, CORS_ORIGINS: "https://a.example, https://b.example" }).corsOrigins)
      .toEqual(["https://a.example", "https://b.example"]);
    expect(() => stageConfig("dev", { CORS_ORIGINS: "*" })).toThrow(/not '\*'/);
  });

  it("refuses to synthesize prod without its origins and relying party, saying which are missing", () => {
    expect(() => stageConfig("prod", {})).toThrow(/Stage 'prod' needs CORS_ORIGINS, WEBAUTHN_RP_ID, WEBAUTHN_ORIGINS in the deploy environment/);
    expect(() => stageConfig("prod", { CORS_ORIGINS: "https://app.example.com" })).toThrow(/needs WEBAUTHN_RP_ID, WEBAUTHN_ORIGINS in/);
    expect(() => stageConfig("prod", { ...PROD_ENV, WEBAUTHN_ORIGINS: "http://app.example.com" })).toThrow(/https:\/\/ origins only/);
    expect(() => stageConfig("prod", { ...PROD_ENV, WEBAUTHN_RP_ID: "other.example" })).toThrow(/must be app\.example\.com or a parent domain/);
    expect(stageConfig("prod", PROD_ENV).serviceEnvironment)
      .toEqual({ WEBAUTHN_ORIGINS: "https://app.example.com", WEBAUTHN_RP_ID: "example.com" });
  });

  it("gives a disposable stage's functions the relying party of its origins unless told otherwise", () => {
    expect(stageConfig("alice", { CORS_ORIGINS: "https://app.example.com" }).serviceEnvironment)
      .toEqual({ WEBAUTHN_ORIGINS: "https://app.example.com", WEBAUTHN_RP_ID: "app.example.com" });
    expect(stageConfig("alice", { CORS_ORIGINS: "https://app.example.com", WEBAUTHN_RP_ID: "example.com", TOTP_ISSUER: "Acme" }).serviceEnvironment)
      .toEqual({ WEBAUTHN_ORIGINS: "https://app.example.com", WEBAUTHN_RP_ID: "example.com", TOTP_ISSUER: "Acme" });
  });

  it("reads the log level, outbox shards and alarm subscribers, and refuses nonsense", () => {
    expect(stageConfig("prod", PROD_ENV).logLevel).toBe("INFO");
    expect(stageConfig("alice", { LOG_LEVEL: "warn", OUTBOX_SHARDS: "16" })).toMatchObject({ logLevel: "WARN", outboxShards: 16 });
    expect(() => stageConfig("alice", { LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL must be one of/);
    expect(() => stageConfig("alice", { OUTBOX_SHARDS: "0" })).toThrow(/OUTBOX_SHARDS/);
    expect(stageConfig("alice", { ALARM_SUBSCRIBERS }).alarmSubscribers).toEqual(["oncall@example.com", "https://pager.example.com/hooks/twofactor"]);
    expect(() => stageConfig("alice", { ALARM_SUBSCRIBERS: "http://insecure.example.com" })).toThrow(/ALARM_SUBSCRIBERS/);
    expect(stageConfig("alice", { AUDIT_RETENTION_DAYS: "0" }).auditRetentionDays).toBe(0);
    expect(stageConfig("prod", PROD_ENV).auditRetentionDays).toBe(365);
    expect(() => stageConfig("alice", { AUDIT_RETENTION_DAYS: "a year" })).toThrow(/AUDIT_RETENTION_DAYS/);
  });
});

describe("bus", () => {
  it("has a bus and an archive of every twofactor event, without the empty KmsKeyIdentifier", () => {
    bus.resourceCountIs("AWS::Events::EventBus", 1);
    const [archive] = Object.values(resources(bus, "AWS::Events::Archive"));
    expect(archive!.Properties).toMatchObject({ EventPattern: { source: [SOURCE] }, RetentionDays: stageConfig(STAGE).archiveRetentionDays });
    expect(archive!.Properties).not.toHaveProperty("KmsKeyIdentifier");
  });

  it("puts, per subscription, a rule → an encrypted queue → the consumer, reporting batch item failures", () => {
    const rules = Object.values(resources(bus, "AWS::Events::Rule"));
    const queues = resources(bus, "AWS::SQS::Queue");
    const mappings = Object.values(resources(bus, "AWS::Lambda::EventSourceMapping"));
    const fns = resources(bus, "AWS::Lambda::Function");
    expect(subscriptions.length).toBeGreaterThan(1);
    for (const subscription of subscriptions) {
      const rule = rules.find((r) => JSON.stringify((r.Properties.EventPattern as { "detail-type"?: string[] })?.["detail-type"]) ===
        JSON.stringify([...subscription.detailTypes]) && r.Properties.Description?.toString().startsWith(subscription.consumer));
      expect(rule, subscription.consumer).toBeDefined();
      expect(rule!.Properties.EventBusName).toEqual({ Ref: expect.any(String) });
      expect(rule!.Properties.EventPattern).toEqual({ source: [SOURCE], "detail-type": [...subscription.detailTypes] });
      const [target] = rule!.Properties.Targets as { Arn: unknown; DeadLetterConfig: { Arn: unknown }; RetryPolicy: unknown }[];
      const queueId = refId(target!.Arn)!;
      const queue = queues[queueId]!;
      const deadLetterId = refId(target!.DeadLetterConfig.Arn)!;
      expect(target!.RetryPolicy).toEqual({ MaximumRetryAttempts: DELIVERY.retryAttempts, MaximumEventAgeInSeconds: DELIVERY.maxEventAge.toSeconds() });
      // The queue redrives to the same dead-letter queue after a few receives.
      expect(queue.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: QUEUE_DELIVERY.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [deadLetterId, "Arn"] }, maxReceiveCount: QUEUE_DELIVERY.maxReceiveCount },
      });
      expect(queues[deadLetterId]!.Properties.SqsManagedSseEnabled).toBe(true);
      const mapping = mappings.find((m) => refId(m.Properties.EventSourceArn) === queueId);
      expect(mapping, `event source mapping of ${subscription.consumer}`).toBeDefined();
      expect(mapping!.Properties).toMatchObject({ BatchSize: QUEUE_DELIVERY.batchSize, FunctionResponseTypes: ["ReportBatchItemFailures"] });
      const fn = fns[refId(mapping!.Properties.FunctionName)!]!;
      expect(fn.Properties.Handler).toBe(subscription.handler);
      expect(fn.Properties.Timeout! as number * 6).toBeLessThanOrEqual(QUEUE_DELIVERY.visibilityTimeoutSeconds);

      const onQueue = (id: string, metric: string) => Object.values(resources(bus, "AWS::CloudWatch::Alarm"))
        .find((a) => a.Properties.MetricName === metric && refId((a.Properties.Dimensions as { Value: unknown }[])[0]!.Value) === id);
      expect(onQueue(deadLetterId, "ApproximateNumberOfMessagesVisible")?.Properties, `DLQ alarm of ${subscription.consumer}`)
        .toMatchObject({ Namespace: "AWS/SQS", ComparisonOperator: "GreaterThanThreshold", Threshold: 0 });
      expect(onQueue(queueId, "ApproximateAgeOfOldestMessage")?.Properties, `age alarm of ${subscription.consumer}`)
        .toMatchObject({ Namespace: "AWS/SQS", ComparisonOperator: "GreaterThanThreshold", Threshold: QUEUE_AGE_ALARM_SECONDS });
    }
    expect(Object.keys(queues)).toHaveLength(2 * subscriptions.length);
    expect(mappings).toHaveLength(subscriptions.length);
    // No consumer is a rule's direct target any more: an invocation that throws would be dropped after two retries.
    for (const rule of rules) {
      for (const target of rule.Properties.Targets as { Arn: unknown }[]) {
        if (fns[refId(target.Arn)!]) expect(fns[refId(target.Arn)!]!.Properties.Handler).toBe(OUTBOX_SWEEP_HANDLER);
      }
    }
  });

  it("runs the outbox sweep on a schedule, and alarms when an event stays owed (or the sweep stops reporting)", () => {
    const fns = resources(bus, "AWS::Lambda::Function");
    const scheduled = Object.values(resources(bus, "AWS::Events::Rule")).filter((r) => r.Properties.ScheduleExpression);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.Properties.ScheduleExpression).toMatch(/^rate\((1 minute|5 minutes)\)$/);
    const [target] = scheduled[0]!.Properties.Targets as { Arn: unknown }[];
    expect(fns[refId(target!.Arn)!]!.Properties.Handler).toBe(OUTBOX_SWEEP_HANDLER);
    const alarm = Object.values(resources(bus, "AWS::CloudWatch::Alarm")).find((a) => a.Properties.MetricName === METRICS.outboxOldestPendingAge);
    expect(alarm?.Properties).toMatchObject({
      Namespace: `twofactor/${STAGE}`, Threshold: OUTBOX_AGE_ALARM_SECONDS, ComparisonOperator: "GreaterThanThreshold", TreatMissingData: "breaching",
      Dimensions: [{ Name: "service", Value: "twofactor" }],
    });
  });
});

describe("alarms", () => {
  const alarms = () => [bus, api].flatMap((template) => Object.values(resources(template, "AWS::CloudWatch::Alarm")));

  it("go to one SNS topic, on alarm and on recovery, whose subscribers the stage configures", () => {
    const topics = resources(alarmStack, "AWS::SNS::Topic");
    expect(Object.keys(topics)).toHaveLength(1);
    const subscribers = Object.values(resources(alarmStack, "AWS::SNS::Subscription"))
      .map((subscription) => ({ Endpoint: subscription.Properties.Endpoint as string, Protocol: subscription.Properties.Protocol as string }));
    expect(subscribers.sort((a, b) => a.Protocol.localeCompare(b.Protocol))).toEqual([
      { Endpoint: "oncall@example.com", Protocol: "email" },
      { Endpoint: "https://pager.example.com/hooks/twofactor", Protocol: "https" },
    ]);
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) {
      const actions = alarm.Properties.AlarmActions as unknown[];
      expect(actions, String(alarm.Properties.AlarmDescription)).toHaveLength(1);
      expect(JSON.stringify(actions[0])).toMatch(/AlarmTopic/);
      expect(alarm.Properties.OKActions).toEqual(actions);
      expect(String(alarm.Properties.AlarmDescription)).toMatch(/Runbook: README, "Alarms": \w+\./);
    }
  });

  it("watch every function's errors and throttles", () => {
    for (const template of [bus, api]) {
      const byFunction = new Map<string, string[]>();
      for (const alarm of Object.values(resources(template, "AWS::CloudWatch::Alarm"))) {
        if (alarm.Properties.Namespace !== "AWS/Lambda") continue;
        const fn = refId((alarm.Properties.Dimensions as { Value: unknown }[])[0]!.Value)!;
        byFunction.set(fn, [...(byFunction.get(fn) ?? []), alarm.Properties.MetricName as string]);
      }
      for (const [handler, { id }] of functionsByHandler(template)) {
        expect(byFunction.get(id)?.sort(), handler).toEqual(["Errors", "Throttles"]);
      }
    }
  });

  it("count, for the record, queues and alarms of a stage", () => {
    const functions = functionsByHandler(api).size + functionsByHandler(bus).size;
    expect(alarms()).toHaveLength(2 * functions + 2 * subscriptions.length + 2);
    expect(Object.keys(resources(bus, "AWS::SQS::Queue"))).toHaveLength(2 * subscriptions.length);
  });
});

describe("least privilege", () => {
  it("no statement allows a wildcard action; the only wildcard denies refuse plain-HTTP access to queues", () => {
    for (const [name, template] of Object.entries(templates())) {
      for (const statement of allStatements(template)) {
        const wild = actionsOf(statement).filter((a) => a.includes("*"));
        if (statement.Effect === "Allow") expect(wild, `${name}: ${JSON.stringify(statement)}`).toEqual([]);
        else if (wild.length) expect(statement.Condition, name).toEqual({ Bool: { "aws:SecureTransport": "false" } });
      }
    }
  });

  it("no function policy uses a grant helper's extra actions", () => {
    const extras = /BatchGetItem|BatchWriteItem|Scan|ConditionCheckItem|DescribeTable|GetRecords|ReEncrypt|DescribeKey|GenerateDataKeyWithoutPlaintext/;
    for (const template of [api, bus]) {
      for (const statement of Object.values(resources(template, "AWS::IAM::Policy"))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement)) {
        for (const action of [statement.Action].flat()) expect(action).not.toMatch(extras);
      }
    }
  });
});

describe("cdk-nag AwsSolutions", () => {
  it("reports no unsuppressed error or warning on any stack", () => {
    for (const stack of assembly.stacks) {
      const findings = stack.messages
        .filter((m) => (m.level === "error" || m.level === "warning") && /AwsSolutions-/.test(String(m.entry.data)))
        .map((m) => `${m.id}: ${String(m.entry.data).slice(0, 120)}`);
      expect(findings, stack.stackName).toEqual([]);
    }
  });

  it("justifies every suppression", () => {
    for (const stack of assembly.stacks) {
      const template = stack.template as { Metadata?: { cdk_nag?: { rules_to_suppress: { reason: string }[] } } };
      for (const s of template.Metadata?.cdk_nag?.rules_to_suppress ?? []) expect(s.reason.length).toBeGreaterThan(40);
    }
  });
});

describe("prod", () => {
  it("retains and deletion-protects the table", () => {
    templateOf(prodAssembly, "prod-twofactor-Storage").hasResource("AWS::DynamoDB::Table", {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
    });
  });

  it("retains the key: without it no enrolled authenticator can be opened", () => {
    templateOf(prodAssembly, "prod-twofactor-Keys").hasResource("AWS::KMS::Key", { DeletionPolicy: "Retain" });
  });

  it("has no unsuppressed cdk-nag finding either", () => {
    for (const stack of prodAssembly.stacks) {
      expect(stack.messages.filter((m) => m.level === "error" && /AwsSolutions-/.test(String(m.entry.data))), stack.stackName).toEqual([]);
    }
  });
});
