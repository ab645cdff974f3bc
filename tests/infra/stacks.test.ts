import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Match, type Template } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTableInput } from "@twofactor/aws";
import { SOURCE } from "@twofactor/events";
import { subscriptions } from "@twofactor/events/subscriptions";
import { routes } from "@twofactor/functions/http/routes";
import { Keys, Storage } from "../../infra/app.js";
import { DELIVERY, OUTBOX_SWEEP_HANDLER } from "../../infra/bus.js";
import { accessFor, handlerAccess } from "../../infra/permissions.js";
import { stageConfig } from "../../infra/stages.js";
import { synthesize } from "../../infra/synthesize.js";
import {
  actionsOf, allStatements, functionsByHandler, refId, resources, statementsOfFunction, templateOf,
} from "./template.js";

const STAGE = "test";
const stackName = (id: string) => `${STAGE}-twofactor-${id}`;
const VAULT_HANDLERS = [
  "functions/http/start-totp-enrollment.handler",
  "functions/http/activate-totp.handler",
  "functions/http/challenge-totp.handler",
  "functions/http/disable-totp.handler",
  "functions/http/regenerate-recovery-codes.handler",
];

let outdir: string, prodOutdir: string;
let assembly: CloudAssembly, prodAssembly: CloudAssembly;
let storage: Template, keys: Template, bus: Template, api: Template;

/**
 * One synth of every stack for the tests, then one of the data stacks on `prod` (no functions, so
 * quick). In sequence, in one process: SST rewrites files under .sst/ for each app it creates.
 */
beforeAll(async () => {
  outdir = await mkdtemp(path.join(tmpdir(), "twofactor-cdk-"));
  prodOutdir = await mkdtemp(path.join(tmpdir(), "twofactor-cdk-prod-"));
  ({ assembly } = await synthesize(STAGE, { outdir }));
  storage = templateOf(assembly, stackName("Storage"));
  keys = templateOf(assembly, stackName("Keys"));
  bus = templateOf(assembly, stackName("Bus"));
  api = templateOf(assembly, stackName("Api"));
  ({ assembly: prodAssembly } = await synthesize("prod", { outdir: prodOutdir, stacks: [Storage, Keys] }));
}, 600_000);

afterAll(async () => {
  for (const dir of [outdir, prodOutdir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const templates = () => ({ storage, keys, bus, api });

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
  it("has one symmetric key with rotation and an alias, and a key policy without wildcard actions", () => {
    keys.resourceCountIs("AWS::KMS::Key", 1);
    keys.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    keys.hasResourceProperties("AWS::KMS::Alias", { AliasName: `alias/${STAGE}-twofactor-totp-secrets` });
    const [key] = Object.values(resources(keys, "AWS::KMS::Key"));
    expect(key!.Properties.KeySpec ?? "SYMMETRIC_DEFAULT").toBe("SYMMETRIC_DEFAULT");
  });

  it("lets only the functions that seal or open secrets use the key", () => {
    const withKms = [api, bus].flatMap((template) => [...functionsByHandler(template)]
      .filter(([, { fn }]) => statementsOfFunction(template, fn).some((s) => actionsOf(s).some((a) => a.startsWith("kms:"))))
      .map(([handler]) => handler));
    expect(withKms.sort()).toEqual([...VAULT_HANDLERS].sort());
  });

  it("allows the key only for encryption context purpose totp", () => {
    const kmsStatements = [api, bus].flatMap((template) => [...functionsByHandler(template)]
      .flatMap(([, { fn }]) => statementsOfFunction(template, fn))
      .filter((s) => actionsOf(s).some((a) => a.startsWith("kms:"))));
    expect(kmsStatements.length).toBeGreaterThan(0);
    for (const statement of kmsStatements) {
      expect(statement.Condition).toEqual({ StringEquals: { "kms:EncryptionContext:purpose": "totp" } });
    }
  });
});

describe("functions", () => {
  const all = () => [...functionsByHandler(api), ...functionsByHandler(bus)];

  it("run Node.js 22 on arm64 with the environment the composition root reads", () => {
    expect(all().length).toBeGreaterThan(routes.length);
    for (const [handler, { fn }] of all()) {
      expect(fn.Properties.Runtime, handler).toBe("nodejs22.x");
      expect(fn.Properties.Architectures, handler).toEqual(["arm64"]);
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const name of ["TABLE_NAME", "KMS_KEY_ARN", "EVENT_BUS_NAME", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL"]) {
        expect(env[name], `${handler} ${name}`).toBeDefined();
      }
      expect(env.NODE_OPTIONS).toBe("--enable-source-maps");
      expect(env.WEBAUTHN_ORIGINS, handler).toBe(stageConfig(STAGE).corsOrigins.join(","));
      expect(env.DYNAMODB_ENDPOINT).toBeUndefined();
      expect(env.LOCAL_KEY_FILE).toBeUndefined();
      expect(fn.Properties.LoggingConfig, handler).toEqual({ LogGroup: { Ref: expect.any(String) } });
    }
  });

  it("are minified ESM bundles with source maps and argon2's linux-arm64 binary beside them", () => {
    const { fn } = functionsByHandler(api).get("functions/http/login.handler")!;
    const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, "");
    const dir = path.join(outdir, `asset.${key}`);
    const bundle = readFileSync(path.join(dir, "functions/http/login.mjs"), "utf8");
    expect(existsSync(path.join(dir, "functions/http/login.mjs.map"))).toBe(true);
    expect(bundle.length / bundle.split("\n").length).toBeGreaterThan(1000); // minified: long lines
    expect(bundle).toContain(`"@node-rs/argon2"`); // external, not bundled
    const binary = readdirSync(path.join(dir, "node_modules/@node-rs/argon2-linux-arm64-gnu")).find((f) => f.endsWith(".node"));
    expect(binary).toBe("argon2.linux-arm64-gnu.node");
    const elf = readFileSync(path.join(dir, "node_modules/@node-rs/argon2-linux-arm64-gnu", binary!));
    expect(elf.readUInt16LE(18)).toBe(183); // e_machine = EM_AARCH64
    expect(statSync(path.join(dir, "node_modules/@node-rs/argon2/index.js")).isFile()).toBe(true);
  });

  it("get exactly the table, key and bus actions permissions.ts gives their handler", () => {
    for (const [template, fns] of [[api, functionsByHandler(api)], [bus, functionsByHandler(bus)]] as const) {
      for (const [handler, { fn }] of fns) {
        const access = accessFor(handler);
        const actions = statementsOfFunction(template, fn).flatMap(actionsOf).sort();
        const expected = [
          ...(access.tableRead ? ["dynamodb:GetItem", "dynamodb:Query"] : []),
          ...(access.tableWrite ? ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"] : []),
          ...(access.kms ? ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"] : []),
          ...(access.putEvents ? ["events:PutEvents"] : []),
        ].sort();
        expect(actions, handler).toEqual(expected);
      }
    }
  });

  it("that issue sessions or change factors may publish their events, for source twofactor only", () => {
    const publishers = ["login", "challenge-totp", "challenge-recovery-code", "activate-totp", "disable-totp", "regenerate-recovery-codes"];
    for (const name of publishers) expect(accessFor(`functions/http/${name}.handler`).putEvents, name).toBe(true);
    expect(accessFor(OUTBOX_SWEEP_HANDLER).putEvents).toBe(true);
    for (const [handler, { fn }] of functionsByHandler(api)) {
      for (const statement of statementsOfFunction(api, fn).filter((s) => actionsOf(s).includes("events:PutEvents"))) {
        expect(statement.Condition, handler).toEqual({ StringEquals: { "events:source": SOURCE } });
      }
    }
  });

  it("default a route added later to the table and the bus without the key", () => {
    expect(accessFor("functions/http/some-future-route.handler")).toEqual({ tableRead: true, tableWrite: true, kms: false, putEvents: true });
    for (const handler of Object.keys(handlerAccess)) expect(handler).toMatch(/^functions\/(http|events)\/[a-z-]+\.handler$/);
  });
});

describe("api", () => {
  it("has one route and one function per entry of routes.ts", () => {
    const routeResources = Object.values(resources(api, "AWS::ApiGatewayV2::Route"));
    const integrations = resources(api, "AWS::ApiGatewayV2::Integration");
    const fns = resources(api, "AWS::Lambda::Function");
    expect(routeResources).toHaveLength(routes.length);
    expect(functionsByHandler(api).size).toBe(routes.length);
    for (const route of routes) {
      const found = routeResources.find((r) => r.Properties.RouteKey === `${route.method} ${route.path}`);
      expect(found, `${route.method} ${route.path}`).toBeDefined();
      const join = (found!.Properties.Target as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1];
      const integration = integrations[refId(join[1])!]!;
      const fn = fns[refId(integration.Properties.IntegrationUri)!]!;
      expect(fn.Properties.Handler).toBe(route.handler);
    }
  });

  it("throttles, logs access, and allows the stage's origins only", () => {
    const config = stageConfig(STAGE);
    api.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      DefaultRouteSettings: { ThrottlingRateLimit: config.throttle.rate, ThrottlingBurstLimit: config.throttle.burst },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
    const [httpApi] = Object.values(resources(api, "AWS::ApiGatewayV2::Api"));
    const cors = httpApi!.Properties.CorsConfiguration as { AllowOrigins: string[]; AllowCredentials: boolean };
    expect(cors.AllowOrigins).toEqual(config.corsOrigins);
    expect(cors.AllowOrigins).not.toContain("*");
  });
});

describe("stage configuration", () => {
  it("takes CORS origins from CORS_ORIGINS and refuses '*'", () => {
    expect(stageConfig("prod", { CORS_ORIGINS: "https://a.example, https://b.example" }).corsOrigins)
      .toEqual(["https://a.example", "https://b.example"]);
    expect(stageConfig("prod", {}).corsOrigins).toEqual([]);
    expect(() => stageConfig("dev", { CORS_ORIGINS: "*" })).toThrow(/not '\*'/);
  });

  it("gives the functions the WebAuthn relying party of the stage's origins unless told otherwise", () => {
    expect(stageConfig("prod", { CORS_ORIGINS: "https://app.example.com" }).serviceEnvironment)
      .toEqual({ WEBAUTHN_ORIGINS: "https://app.example.com", WEBAUTHN_RP_ID: "app.example.com" });
    expect(stageConfig("prod", { CORS_ORIGINS: "https://app.example.com", WEBAUTHN_RP_ID: "example.com", TOTP_ISSUER: "Acme" }).serviceEnvironment)
      .toEqual({ WEBAUTHN_ORIGINS: "https://app.example.com", WEBAUTHN_RP_ID: "example.com", TOTP_ISSUER: "Acme" });
    expect(stageConfig("prod", {}).serviceEnvironment).toEqual({});
  });
});

describe("bus", () => {
  it("has a bus and an archive of every twofactor event", () => {
    bus.resourceCountIs("AWS::Events::EventBus", 1);
    bus.hasResourceProperties("AWS::Events::Archive", {
      EventPattern: { source: [SOURCE] },
      RetentionDays: stageConfig(STAGE).archiveRetentionDays,
    });
  });

  it("has, per subscription, a rule to its consumer with retries, an encrypted DLQ and an alarm on it", () => {
    const rules = Object.values(resources(bus, "AWS::Events::Rule"));
    const queues = resources(bus, "AWS::SQS::Queue");
    const fns = resources(bus, "AWS::Lambda::Function");
    const alarms = Object.values(resources(bus, "AWS::CloudWatch::Alarm"));
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const subscription of subscriptions) {
      const rule = rules.find((r) => {
        const pattern = r.Properties.EventPattern as { "detail-type"?: string[] } | undefined;
        const target = (r.Properties.Targets as { Arn: unknown }[])[0]!;
        return pattern?.["detail-type"] && fns[refId(target.Arn)!]?.Properties.Handler === subscription.handler;
      });
      expect(rule, subscription.consumer).toBeDefined();
      expect(rule!.Properties.EventBusName).toEqual({ Ref: expect.any(String) });
      expect(rule!.Properties.EventPattern).toEqual({ source: [SOURCE], "detail-type": [...subscription.detailTypes] });
      const [target] = rule!.Properties.Targets as { DeadLetterConfig: { Arn: unknown }; RetryPolicy: unknown }[];
      expect(target!.RetryPolicy).toEqual({
        MaximumRetryAttempts: DELIVERY.retryAttempts,
        MaximumEventAgeInSeconds: DELIVERY.maxEventAge.toSeconds(),
      });
      const queueId = refId(target!.DeadLetterConfig.Arn)!;
      expect(queues[queueId]!.Properties.SqsManagedSseEnabled).toBe(true);
      const alarm = alarms.find((a) => refId((a.Properties.Dimensions as { Value: unknown }[])[0]!.Value) === queueId);
      expect(alarm, `alarm on ${subscription.consumer} DLQ`).toBeDefined();
      expect(alarm!.Properties).toMatchObject({
        MetricName: "ApproximateNumberOfMessagesVisible",
        Namespace: "AWS/SQS",
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: 0,
      });
    }
    expect(Object.keys(queues)).toHaveLength(subscriptions.length);
    expect(alarms).toHaveLength(subscriptions.length);
  });

  it("runs the outbox sweep on a schedule", () => {
    const fns = resources(bus, "AWS::Lambda::Function");
    const scheduled = Object.values(resources(bus, "AWS::Events::Rule")).filter((r) => r.Properties.ScheduleExpression);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.Properties.ScheduleExpression).toMatch(/^rate\((1 minute|5 minutes)\)$/);
    const [target] = scheduled[0]!.Properties.Targets as { Arn: unknown }[];
    expect(fns[refId(target!.Arn)!]!.Properties.Handler).toBe(OUTBOX_SWEEP_HANDLER);
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
