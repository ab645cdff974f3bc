import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { RemovalPolicy } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IEventBus } from "aws-cdk-lib/aws-events";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { FunctionProps, Stack } from "sst/constructs";
import { tableDefinition } from "@twofactor/aws";
import { TOTP_SECRET_PURPOSE } from "@twofactor/core";
import { SOURCE } from "@twofactor/events";
import { USE_ACTIONS } from "./keys.js";
import { accessFor, type Access } from "./permissions.js";
import type { StageConfig } from "./stages.js";

/** What the functions run against: handed from the storage, keys and bus stacks to the others. */
export interface Resources {
  table: ITable;
  key: IKey;
  bus: IEventBus;
  config: StageConfig;
}

export const SERVICE = "twofactor";

/**
 * A native module (argon2) cannot be bundled: it stays external and its Linux arm64 build is
 * installed beside the bundle. SST's own `nodejs.install` omits optional dependencies, which is
 * exactly where napi-rs puts the platform binaries, so this is done here.
 */
const NATIVE = "@node-rs/argon2";
const nativeVersion = (createRequire(import.meta.url)(`${NATIVE}/package.json`) as { version: string }).version;

/** npm runs once per synth; each bundle that imports the module gets a copy of its node_modules. */
let nativeModules: Promise<string> | undefined;

function installNativeOnce(): Promise<string> {
  return (nativeModules ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "twofactor-native-"));
    // A package.json of its own, or npm would climb up and install into the repository.
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ private: true, dependencies: { [NATIVE]: nativeVersion } }));
    await promisify(execFile)("npm", [
      "install", "--omit=dev", "--no-package-lock", "--no-audit", "--no-fund", "--os=linux", "--cpu=arm64", "--libc=glibc",
    ], { cwd: dir });
    return path.join(dir, "node_modules");
  })());
}

async function installNativeModules(_props: FunctionProps, out: string): Promise<void> {
  const files = (await readdir(out, { recursive: true })).filter((file) => file.endsWith(".mjs"));
  const bundles = await Promise.all(files.map((file) => readFile(path.join(out, file), "utf8")));
  if (!bundles.some((code) => code.includes(`"${NATIVE}"`))) return;
  await cp(await installNativeOnce(), path.join(out, "node_modules"), { recursive: true });
}

/** Explicit actions on explicit resources: no grant helpers, which add actions nobody calls. */
export function statementsFor(access: Access, { table, key, bus }: Resources): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (access.tableRead) {
    statements.push(new PolicyStatement({
      actions: ["dynamodb:GetItem", "dynamodb:Query"],
      resources: [table.tableArn, ...tableDefinition.indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
    }));
  }
  if (access.tableWrite) {
    statements.push(new PolicyStatement({
      actions: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
      resources: [table.tableArn],
    }));
  }
  if (access.kms) {
    // The Encryption SDK's KMS keyring: GenerateDataKey to seal, Decrypt to open. It passes the
    // message's encryption context to KMS, so the key serves TOTP secrets and nothing else.
    statements.push(new PolicyStatement({
      actions: USE_ACTIONS,
      resources: [key.keyArn],
      conditions: { StringEquals: { "kms:EncryptionContext:purpose": TOTP_SECRET_PURPOSE } },
    }));
  }
  if (access.putEvents) {
    statements.push(new PolicyStatement({
      actions: ["events:PutEvents"],
      resources: [bus.eventBusArn],
      conditions: { StringEquals: { "events:source": SOURCE } },
    }));
  }
  return statements;
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

/**
 * One Lambda function for one handler: Node.js 22 on arm64, an ESM bundle minified by esbuild with
 * its source map, the environment `functions/config.ts` reads, and only the permissions its
 * entry in permissions.ts allows. Every function gets KMS_KEY_ARN because the composition root
 * refuses to start without a key ring; only the vault users may call the key.
 */
export function functionProps(stack: Stack, handler: string, resources: Resources, extra: Partial<FunctionProps> = {}): FunctionProps {
  const { table, key, bus, config } = resources;
  return {
    handler,
    runtime: "nodejs22.x",
    architecture: "arm_64",
    memorySize: 1024,
    timeout: 10,
    tracing: "disabled",
    logGroup: new LogGroup(stack, `${handlerId(handler)}Logs`, {
      retention: RetentionDays[config.logRetention.toUpperCase() as Uppercase<typeof config.logRetention>],
      removalPolicy: RemovalPolicy.DESTROY,
    }),
    environment: {
      TABLE_NAME: table.tableName,
      KMS_KEY_ARN: key.keyArn,
      EVENT_BUS_NAME: bus.eventBusName,
      POWERTOOLS_SERVICE_NAME: SERVICE,
      POWERTOOLS_LOG_LEVEL: "INFO",
      POWERTOOLS_DEV: "false",
      NODE_OPTIONS: "--enable-source-maps",
      ...config.serviceEnvironment,
    },
    permissions: statementsFor(accessFor(handler), resources),
    nodejs: {
      format: "esm",
      minify: true,
      sourcemap: true,
      esbuild: { external: [NATIVE] },
    },
    hooks: { afterBuild: installNativeModules },
    ...extra,
  };
}
