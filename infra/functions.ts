import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { RemovalPolicy } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IEventBus } from "aws-cdk-lib/aws-events";
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { ApplicationLogLevel, LoggingFormat, SystemLogLevel } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { FunctionProps, Stack } from "sst/constructs";
import { TOTP_SECRET_PURPOSE } from "@twofactor/core";
import { SOURCE } from "@twofactor/events";
import { branchKeyContext } from "./branch-keys.js";
import { entryFor, NATIVE, NODEJS_BUNDLING } from "./bundling.js";
import type { MailResources } from "./mail.js";
import { AUDIT_PARTITIONS, grantsFor, TABLE_ACTIONS, TABLE_WRITES, type Grant } from "./permissions.js";
import type { StageConfig } from "./stages.js";

/** What the functions run against: handed from the storage, keys and bus stacks to the others. */
export interface Resources {
  table: ITable;
  key: IKey;
  /** The hierarchical keyring's branch key store (Keys stack). */
  branchKeys: ITable;
  bus: IEventBus;
  config: StageConfig;
  /** The WebAuthn and TOTP settings of the stage's origin (infra/origin.ts). */
  service: Record<string, string>;
  /** The secret CloudFront sends the API (Gateway stack): HTTP functions refuse requests without it. */
  originSecret?: ISecret;
  /** SES's configuration set and identity (Mail stack), for the functions that send mail. */
  mail?: MailResources;
}

/** HTTP functions are the request path: wrapped for CloudFront (bundling.ts entryFor) and traced. */
export const isHttpHandler = (handler: string) => handler.startsWith("functions/http/");

export const SERVICE = "twofactor";

/** Where the functions' Powertools metrics (EMF) go: one CloudWatch namespace per stage. */
export const metricsNamespace = (stage: string) => `${SERVICE}/${stage}`;

/**
 * A native module (argon2) cannot be bundled (infra/bundling.ts keeps it external): its Linux arm64
 * build is installed beside each bundle that loads it — only the password routes' since the
 * composition is per handler. SST's own `nodejs.install` omits optional dependencies, which is
 * exactly where napi-rs puts the platform binaries, so this is done here. npm prefers its cache:
 * with the package there (any earlier synth), no network is needed; otherwise it comes from the
 * npm registry.
 */
const nativeVersion = (createRequire(import.meta.url)(`${NATIVE}/package.json`) as { version: string }).version;
/** The addon Lambda's Linux arm64 (glibc) loads, and the ELF machine it must be built for. */
export const NATIVE_ADDON = "node_modules/@node-rs/argon2-linux-arm64-gnu/argon2.linux-arm64-gnu.node";
const EM_AARCH64 = 183;

/** npm runs once per synth; each bundle that imports the module gets a copy of its node_modules. */
let nativeModules: Promise<string> | undefined;

function installNativeOnce(): Promise<string> {
  return (nativeModules ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "twofactor-native-"));
    // A package.json of its own, or npm would climb up and install into the repository.
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ private: true, dependencies: { [NATIVE]: nativeVersion } }));
    await promisify(execFile)("npm", [
      "install", "--prefer-offline", "--omit=dev", "--no-package-lock", "--no-audit", "--no-fund",
      "--os=linux", "--cpu=arm64", "--libc=glibc",
    ], { cwd: dir });
    return path.join(dir, "node_modules");
  })());
}

/** Removes what installNativeOnce staged: each asset holds its own copy once the synth is over. */
export async function releaseNativeModules(): Promise<void> {
  const staged = nativeModules;
  nativeModules = undefined;
  const modules = await staged?.catch(() => undefined);
  if (modules) await rm(path.dirname(modules), { recursive: true, force: true });
}

async function installNativeModules(props: FunctionProps, out: string): Promise<void> {
  const files = (await readdir(out, { recursive: true })).filter((file) => file.endsWith(".mjs"));
  const bundles = await Promise.all(files.map((file) => readFile(path.join(out, file), "utf8")));
  if (!bundles.some((code) => code.includes(`"${NATIVE}"`))) return;
  await cp(await installNativeOnce(), path.join(out, "node_modules"), { recursive: true });
  // A bundle that loads argon2 without its addon fails at its first login: fail the synth instead.
  const addon = await readFile(path.join(out, NATIVE_ADDON)).catch(() => undefined);
  if (!addon || addon.readUInt16LE(18) !== EM_AARCH64) {
    throw new Error(`${props.handler}: ${NATIVE_ADDON} is missing from its asset or not built for arm64`);
  }
}

/** Explicit actions on explicit resources, from permissions.ts: no grant helpers, which add actions nobody calls. */
export function statementsFor(grants: readonly Grant[], { table, key, branchKeys, bus, mail }: Resources, stage: string): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const isWrite = (grant: Grant) => (TABLE_WRITES as readonly string[]).includes(grant);
  const reads = grants.filter((grant) => (TABLE_ACTIONS as readonly string[]).includes(grant) && !isWrite(grant));
  if (reads.length) statements.push(new PolicyStatement({ actions: reads, resources: [table.tableArn] }));
  // Writes reach every partition but the audit log's: no request function can rewrite or delete it.
  const writes = grants.filter(isWrite);
  if (writes.length) {
    statements.push(new PolicyStatement({
      actions: writes,
      resources: [table.tableArn],
      conditions: { "ForAllValues:StringNotLike": { "dynamodb:LeadingKeys": [AUDIT_PARTITIONS] } },
    }));
  }
  if (grants.includes("dynamodb:PutItem@audit")) {
    statements.push(new PolicyStatement({
      actions: ["dynamodb:PutItem"],
      resources: [table.tableArn],
      conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [AUDIT_PARTITIONS] } },
    }));
  }
  const indexes = grants.flatMap((grant) => grant.match(/^dynamodb:Query@(.+)$/)?.[1] ?? []);
  if (indexes.length) {
    statements.push(new PolicyStatement({
      actions: ["dynamodb:Query"],
      resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
    }));
  }
  if (grants.includes("dynamodb:GetItem@branch-keys")) {
    statements.push(new PolicyStatement({ actions: ["dynamodb:GetItem"], resources: [branchKeys.tableArn] }));
  }
  if (grants.includes("kms:Decrypt@branch-keys")) {
    // The branch key store decrypts with the branch key's own context (tablename, branch-key-id, …):
    // this statement unwraps the TOTP branch key and nothing else; the key policy says the same.
    statements.push(new PolicyStatement({
      actions: ["kms:Decrypt"],
      resources: [key.keyArn],
      conditions: { StringEquals: branchKeyContext(stage) },
    }));
  }
  const keyActions = grants.filter((grant) => grant === "kms:Decrypt");
  if (keyActions.length) {
    // The Encryption SDK passes the message's encryption context to KMS, so the key serves TOTP
    // secrets and nothing else; the key policy says the same for these roles (keys.ts).
    statements.push(new PolicyStatement({
      actions: keyActions,
      resources: [key.keyArn],
      conditions: { StringEquals: { [`kms:EncryptionContext:${KEY_CONTEXT}`]: TOTP_SECRET_PURPOSE } },
    }));
  }
  if (grants.includes("events:PutEvents")) {
    statements.push(new PolicyStatement({
      actions: ["events:PutEvents"],
      resources: [bus.eventBusArn],
      conditions: { StringEquals: { "events:source": SOURCE } },
    }));
  }
  if (grants.includes("ses:SendEmail")) {
    if (!mail) throw new Error("A function that sends mail needs the Mail stack's configuration set and identity.");
    // SendEmail is authorized on the identity sent as and on the configuration set named.
    statements.push(new PolicyStatement({ actions: ["ses:SendEmail"], resources: [mail.identityArn, mail.configurationSetArn] }));
  }
  return statements;
}

/** The encryption context key the KMS grants are conditioned on (the vault seals with `{purpose, userId}`). */
export const KEY_CONTEXT = "purpose";

/**
 * The role of a handler that may use the TOTP secrets key, by a name fixed in advance: the key
 * policy (Keys stack, deployed before any function) names these roles, and names cannot wait for
 * the roles to exist. Unique per stage and region, at most 64 characters.
 */
export function keyUserRoleName(stage: string, region: string, handler: string): string {
  const name = `${stage}-${SERVICE}-${handlerId(handler)}-${region}`;
  if (name.length <= 64) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, 55)}-${hash}`;
}

/** `functions/http/login.handler` → `HttpLogin`: a stable construct id per handler. */
export function handlerId(handler: string): string {
  return handler
    .replace(/^functions\//, "")
    .replace(/\.handler$/, "")
    .split(/[/-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** A key user's role, named as the key policy expects; otherwise what Lambda would make (basic execution only). */
function keyUserRole(stack: Stack, handler: string): Role {
  return new Role(stack, `${handlerId(handler)}Role`, {
    roleName: keyUserRoleName(stack.stage, stack.region, handler),
    assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
    managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole")],
  });
}

/**
 * One Lambda function for one handler: Node.js 22 on arm64, an ESM bundle minified by esbuild with
 * its source map (infra/bundling.ts), the environment `functions/config.ts` reads, and only the
 * permissions its entry in permissions.ts allows. Every function gets KMS_KEY_ARN and
 * BRANCH_KEY_TABLE_NAME because the composition root composes the vault for each; only the key
 * users' roles may call the key or read the branch key store.
 */
export function functionProps(stack: Stack, handler: string, resources: Resources, extra: Partial<FunctionProps> = {}): FunctionProps {
  const { table, key, branchKeys, bus, config, service, originSecret, mail } = resources;
  const grants = grantsFor(handler);
  const http = isHttpHandler(handler);
  if (http && !originSecret) throw new Error(`${handler}: an HTTP function needs the origin secret it checks every request for.`);
  return {
    handler,
    runtime: "nodejs22.x",
    architecture: "arm_64",
    memorySize: 1024,
    timeout: 10,
    // The request path is traced (Powertools Tracer in functions/edge); consumers are not.
    tracing: http ? "active" : "disabled",
    logGroup: functionLogGroup(stack, handler, config),
    // JSON logs filtered by Lambda itself: the application's at the stage's level (Powertools reads
    // the same level), Lambda's own platform lines (START, END, REPORT) only from WARN up.
    loggingFormat: LoggingFormat.JSON,
    applicationLogLevelV2: ApplicationLogLevel[config.logLevel],
    systemLogLevelV2: SystemLogLevel.WARN,
    environment: {
      TABLE_NAME: table.tableName,
      KMS_KEY_ARN: key.keyArn,
      BRANCH_KEY_TABLE_NAME: branchKeys.tableName,
      EVENT_BUS_NAME: bus.eventBusName,
      OUTBOX_SHARDS: String(config.outboxShards),
      AUDIT_RETENTION_DAYS: String(config.auditRetentionDays),
      POWERTOOLS_SERVICE_NAME: SERVICE,
      POWERTOOLS_LOG_LEVEL: config.logLevel,
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(stack.stage),
      POWERTOOLS_DEV: "false",
      ...service,
      ...(mail && grants.includes("ses:SendEmail") ? { MAIL_CONFIGURATION_SET: mail.configurationSetName } : {}),
      // A dynamic reference: CloudFormation puts the value in at deploy time, the template holds none.
      ...(http ? { ORIGIN_VERIFY_SECRET: originSecret!.secretValue.unsafeUnwrap() } : {}),
    },
    ...(grants.some((grant) => grant.startsWith("kms:")) ? { role: keyUserRole(stack, handler) } : {}),
    permissions: statementsFor(grants, resources, stack.stage),
    // Source maps are in the assets but not enabled at run time (they add tens of ms to a cold
    // start): set NODE_OPTIONS=--enable-source-maps on a function to debug it (README, Performance).
    nodejs: {
      ...NODEJS_BUNDLING,
      esbuild: { ...NODEJS_BUNDLING.esbuild, external: [...NODEJS_BUNDLING.esbuild.external], entryPoints: [entryFor(handler)] },
    },
    hooks: { afterBuild: installNativeModules },
    ...extra,
  };
}

/** A function's log group, with the stage's retention; `prod` keeps it when the stack goes away. */
export function functionLogGroup(stack: Stack, handler: string, config: StageConfig): LogGroup {
  return new LogGroup(stack, `${handlerId(handler)}Logs`, {
    retention: RetentionDays[config.logRetention.toUpperCase() as Uppercase<typeof config.logRetention>],
    removalPolicy: config.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}
