import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { keys as tableKeys } from "@twofactor/aws";
import { SOURCE } from "@twofactor/events";
import { serviceSubscriptions, subscriptions } from "@twofactor/events/subscriptions";
import { allHandlers } from "@twofactor/functions/handlers";
import { routes } from "@twofactor/functions/http/routes";
import { OUTBOX_SWEEP_HANDLER, QUEUE_CONSUMER_ACTIONS } from "../../../infra/bus.js";
import { STREAM_CONSUMER_ACTIONS, STREAM_FAILURE_ACTIONS } from "../../../infra/outbox-relay.js";
import { outboxRelay } from "@twofactor/functions/events/stream";
import { entryFor, esbuildOptions, sstEsbuild } from "../../../infra/bundling.js";
import { isHttpHandler, NATIVE_ADDON } from "../../../infra/functions.js";
import { AUDIT_PARTITION_PREFIX, AUDIT_PARTITIONS, DEFAULT_GRANTS, grantsFor, handlerGrants } from "../../../infra/permissions.js";
import { stageConfig } from "../../../infra/stages.js";
import { actionsOf, functionsByHandler, statementsOfFunction, type Statement } from "../template.js";
import { main, ROUTE_STACKS, STAGE, synths, TEST_ENV } from "./synths.js";

/** The templates that hold the application's functions: the route stacks and the bus. */
export const functionTemplates = (): Template[] => [...ROUTE_STACKS.map(main), main("Bus")];

const XRAY_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

const environmentOf = (fn: { Properties: Record<string, unknown> }) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

export function describeFunctions(): void {
describe("functions", () => {
  const all = () => functionTemplates().flatMap((template) => [...functionsByHandler(template)]);
  const assetOf = (fn: { Properties: Record<string, unknown> }) =>
    path.join(synths.outdir, `asset.${(fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, "")}`);

  it("are one per handler of routes.ts, the $default route, subscriptions.ts and schedule.ts", () => {
    expect(all().map(([handler]) => handler).sort()).toEqual([...allHandlers].sort());
  });

  it("run Node.js 22 on arm64 with the environment the composition root reads", () => {
    const config = stageConfig(STAGE, TEST_ENV);
    expect(all().length).toBeGreaterThan(routes.length);
    for (const [handler, { fn }] of all()) {
      expect(fn.Properties.Runtime, handler).toBe("nodejs22.x");
      expect(fn.Properties.Architectures, handler).toEqual(["arm64"]);
      const env = environmentOf(fn);
      for (const name of ["TABLE_NAME", "KMS_KEY_ARN", "BRANCH_KEY_TABLE_NAME", "EVENT_BUS_NAME", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL", "POWERTOOLS_METRICS_NAMESPACE"]) {
        expect(env[name], `${handler} ${name}`).toBeDefined();
      }
      // Source maps ship in the asset but cost cold-start time when enabled: off unless someone debugs.
      expect(env.NODE_OPTIONS, handler).toBeUndefined();
      expect(env.DYNAMODB_ENDPOINT).toBeUndefined();
      expect(env.LOCAL_KEY_FILE).toBeUndefined();
      expect(env.OUTBOX_SHARDS, handler).toBe(String(config.outboxShards));
      expect(env.AUDIT_RETENTION_DAYS, handler).toBe(String(config.auditRetentionDays));
      expect(env.POWERTOOLS_METRICS_NAMESPACE, handler).toBe(`twofactor/${STAGE}`);
      expect(env.POWERTOOLS_LOG_LEVEL, handler).toBe(config.logLevel);
      // JSON logs at the stage's level; Lambda's own START/END/REPORT lines only from WARN up.
      expect(fn.Properties.LoggingConfig, handler).toEqual({
        LogGroup: { Ref: expect.any(String) }, LogFormat: "JSON", ApplicationLogLevel: config.logLevel, SystemLogLevel: "WARN",
      });
    }
  });

  it("on the request path, know the stage's origin and its secret, and are traced; consumers are not", () => {
    const http = all().filter(([handler]) => isHttpHandler(handler));
    expect(http).toHaveLength(routes.length + 1);
    for (const [handler, { fn }] of all()) {
      const env = environmentOf(fn);
      if (!isHttpHandler(handler)) {
        expect(fn.Properties.TracingConfig, handler).toBeUndefined();
        expect(env.ORIGIN_VERIFY_SECRET, handler).toBeUndefined();
        continue;
      }
      expect(fn.Properties.TracingConfig, handler).toEqual({ Mode: "Active" });
      // The relying party is the distribution's own name: one origin for the console and the API.
      expect(JSON.stringify(env.WEBAUTHN_RP_ID), handler).toMatch(/Edge:ExportsOutputFnGetAttDistribution\w+DomainName/);
      expect(JSON.stringify(env.WEBAUTHN_ORIGINS), handler).toMatch(/"https:\/\/",\{"Fn::ImportValue":"test-twofactor-Edge:ExportsOutputFnGetAttDistribution\w+DomainName/);
      // The secret is a dynamic reference, resolved by CloudFormation at deploy time: the template holds no value.
      expect(JSON.stringify(env.ORIGIN_VERIFY_SECRET), handler).toMatch(/\{\{resolve:secretsmanager:",\{"Fn::ImportValue":"test-twofactor-Gateway:ExportsOutputRefOriginSecret\w+"\},":SecretString:::\}\}/);
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
    const alone = path.join(synths.outdir, "alone", `${module}.mjs`);
    await sstEsbuild().build(esbuildOptions(entryFor(`${module}.handler`), alone));
    const same = readFileSync(path.join(assetOf(fn), `${module}.mjs`), "utf8") === readFileSync(alone, "utf8");
    expect(same, "the asset's bundle differs from a build of its handler alone").toBe(true);
  });

  it("get exactly the table, index, key and bus actions permissions.ts grants their handler, on those resources", () => {
    for (const [template, fns] of functionTemplates().map((t) => [t, functionsByHandler(t)] as const)) {
      for (const [handler, { fn }] of fns) {
        const grants = grantsFor(handler);
        const statements = statementsOfFunction(template, fn);
        const expected = [
          ...grants.map((grant) => grant.replace(/@.*$/, "")), // a grant on another resource is a statement of its own
          ...([...subscriptions, ...serviceSubscriptions].some((sub) => sub.handler === handler) ? QUEUE_CONSUMER_ACTIONS : []),
          ...(handler === outboxRelay.handler ? [...STREAM_CONSUMER_ACTIONS, ...STREAM_FAILURE_ACTIONS] : []),
          ...(isHttpHandler(handler) ? XRAY_ACTIONS : []), // active tracing's own two actions
        ].sort();
        expect(statements.flatMap(actionsOf).sort(), handler).toEqual(expected);
        for (const statement of statements.filter((st) => actionsOf(st).some((a) => a.startsWith("dynamodb:") && !STREAM_CONSUMER_ACTIONS.includes(a)))) {
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
    for (const template of functionTemplates()) {
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
    for (const template of functionTemplates()) {
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
}
