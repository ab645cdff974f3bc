import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { OWED_ATTRIBUTE, type Outbox, type OutboxBacklog, type Table } from "@twofactor/aws";
import type { Clock, Deps, MailSender, PasswordHasher, SecretVault } from "@twofactor/core";
import { serviceSubscriptions, subscriptions } from "@twofactor/events/subscriptions";
import {
  config, deps, dynamoClient, eventBridgeClient, outbox, outboxBacklog, startFresh, table, vault,
} from "@twofactor/functions/composition";
import type { RuntimeConfig } from "@twofactor/functions/config";
import { outboxSweep, resetTimers, stalledRollouts } from "@twofactor/functions/events/schedule";
import { outboxRelay } from "@twofactor/functions/events/stream";
import { fallbackRoute, routes } from "@twofactor/functions/http/routes";
import { closeServer } from "./close-server.js";
import { startDynalite, ensureTable, type EmbeddedDynamo } from "./dynamo-server.js";
import { LocalEventBus, type Consumer } from "./event-bus.js";
import { consoleSite } from "./console-site.js";
import { EmlMailWriter } from "./eml-writer.js";
import { startHttpServer, type HttpHandler } from "./http-server.js";
import { LocalTableStream, type StreamConsumer } from "./table-stream.js";
import { runAs } from "./invocation.js";
import { readFileSync } from "node:fs";
import { TOTP_BRANCH_KEY_ID } from "@twofactor/aws";
import { ensureBranchKeyStore } from "./branch-key-store.js";
import { ensureKeyFile } from "./key-file.js";
import { startLocalKms, type LocalKms } from "./kms-server.js";
import { loadHandler } from "./load-handler.js";
import { newLocalCredentials, type LocalCredentials } from "./sigv4-guard.js";

export interface LocalRuntimeOptions {
  /** Where data, the key and dead letters live; omitted, a temporary folder and in-memory tables. */
  dataDir?: string;
  port?: number;
  host?: string;
  trustProxy?: boolean;
  /** Browser origins allowed by CORS (`CORS_ORIGINS` for `npm start`); none by default. */
  corsOrigins?: string[];
  totpIssuer?: string;
  /**
   * WebAuthn relying party. Defaults: ID `localhost`, origin `http://localhost:<the port served>`
   * (docs/api.md, Running locally); `npm start` passes WEBAUTHN_RP_ID / WEBAUTHN_ORIGINS / WEBAUTHN_RP_NAME.
   */
  webauthn?: { rpId?: string; origins?: string[]; rpName?: string };
  /** The consumers' queues: receives before a dead letter, and the visibility timeout after a failed receive. */
  bus?: { attempts: number; baseDelayMs: number };
  /** How often the outbox is swept, and how old an unpublished event must be to be swept. */
  sweep?: { intervalMs: number; graceMs: number };
  log?: (line: string) => void;
  /** Extra configuration for the composition root, as environment variables (e.g. REAUTH_WINDOW_SECONDS). */
  env?: Record<string, string>;
  /**
   * The time the use cases read (the Clock port); the wall clock by default. Tests pass their own,
   * so that they compute TOTP codes for the instant the server checks them at.
   */
  clock?: Clock;
  /**
   * How the password routes hash and check passwords: argon2id with OWASP's parameters by default,
   * as deployed. Tests pass argon2id at a far lower cost (tests/support/system.ts): the same library
   * and hash format, a small share of the CPU time.
   */
  passwordHasher?: PasswordHasher;
  /** Wraps the vault the composition builds, in every cold start (a test recording each seal and open). */
  wrapVault?: (vault: SecretVault) => SecretVault;
  /**
   * What the runtime's clients sign with and its stand-ins check: made anew at each start unless
   * given. A test gives them when a stand-in of its own (a store it can cut off) serves the runtime.
   */
  credentials?: LocalCredentials;
}

/** The composition root's parts, as the handlers of this runtime use them: for tests and tools that reach into them. */
export interface Runtime {
  readonly config: RuntimeConfig;
  readonly deps: Deps;
  readonly outbox: Outbox;
  /** What the relay could not publish, and events held until they happen: what the sweep drains. */
  readonly outboxBacklog: OutboxBacklog;
  readonly table: Table;
  /** The SDK clients the adapters call through (their middleware stacks are where calls can be observed). */
  readonly clients: { dynamodb: DynamoDBDocumentClient; eventBridge: EventBridgeClient };
  readonly vault: SecretVault;
}

/** Reads through to the current cold start's parts, so a view taken before `coldStart()` sees the new ones. */
const runtime: Runtime = {
  get config() { return config(); },
  get deps() { return deps(); },
  get outbox() { return outbox(); },
  get outboxBacklog() { return outboxBacklog(); },
  get table() { return table(); },
  get clients() { return { dynamodb: dynamoClient(), eventBridge: eventBridgeClient() }; },
  get vault() { return vault(); },
};

export interface LocalRuntime {
  url: string;
  port: number;
  dataDir: string;
  /** Where the notifier writes its mails, one `.eml` file each (`$DATA_DIR/mail`). */
  mailDir: string;
  /**
   * The notifier's transport: the `.eml` writer of `mailDir`. Settable, so that a test can observe
   * or refuse each mail, or hand it to SES's client as on AWS; it lasts across cold starts.
   */
  mailer: MailSender;
  bus: LocalEventBus;
  /** The local KMS the branch key store unwraps branch keys with (its requests are counted by operation). */
  kms: LocalKms;
  /** The credentials of this start: the stand-ins answer only requests signed with them. */
  credentials: LocalCredentials;
  /** The table's stream that the outbox relay reads (its counts: records and batches handed over). */
  tableStream: Pick<LocalTableStream, "stats">;
  runtime: Runtime;
  /** Runs the outbox sweep's handler once, as its schedule does (events owed longer than the sweep's grace). */
  sweepOutbox(): Promise<{ published: number; skipped: number }>;
  /** Runs the reset timers' handler once, as its schedule does: resets whose time has come (on the runtime's clock) are written. */
  sweepResets(): Promise<{ applied: number }>;
  /** Runs the stalled-rollout sweep now (it also runs on the sweep's timer). */
  sweepRollouts(): Promise<{ resumed: number }>;
  /** Every function starts cold, as in new containers: clients, caches (the branch key's) and configuration are built anew. */
  coldStart(): void;
  /** Stops accepting requests, lets the bus finish its deliveries, closes the store; removes `dataDir` if the runtime made it. */
  stop(): Promise<void>;
}

const TABLE_NAME = "twofactor";
const BRANCH_KEY_TABLE_NAME = "twofactor-branch-keys";

/** The whole system on one machine: dynalite, a local KMS and branch key store, the local bus and the HTTP server. */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  // Node 20 is this project's local platform by design (Lambda runs Node 22): the SDK's notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  // Metrics are CloudWatch's (EMF lines in the function log); locally nothing reads them.
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  const persistent = options.dataDir !== undefined;
  const sweep = options.sweep ?? { intervalMs: 5_000, graceMs: 10_000 };
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "twofactor-"));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // A folder the runtime made for itself holds nothing anyone can come back to (its tables are in memory).
  const removeTemporaryFolder = () => {
    if (!persistent) rmSync(dataDir, { recursive: true, force: true });
  };

  const credentials = options.credentials ?? newLocalCredentials();
  const bus = new LocalEventBus({
    // One bus stands in for both of AWS's: ours, and the account's default one where SES reports bounces.
    subscriptions: [...subscriptions, ...serviceSubscriptions],
    credentials,
    loadConsumer: async (handler) => {
      const consumer = await loadHandler<Consumer>(handler);
      return (event, context) => runAs(handler, () => consumer(event, context));
    },
    deadLetterFile: join(dataDir, "dead-letters.jsonl"),
    spoolFile: join(dataDir, "bus-spool.jsonl"),
    retry: options.bus,
  });
  // The table's stream, read by the outbox relay: what the writes owe reaches the bus through it.
  const stream = new LocalTableStream({
    tableName: TABLE_NAME,
    attribute: OWED_ATTRIBUTE,
    handler: outboxRelay.handler,
    loadConsumer: async (handler) => {
      const consumer = await loadHandler<StreamConsumer>(handler);
      return (event, context) => runAs(handler, () => consumer(event, context));
    },
    journalFile: join(dataDir, "table-stream.jsonl"),
    deadLetterFile: join(dataDir, "dead-letters.jsonl"),
    batchSize: outboxRelay.batchSize,
    retry: { attempts: outboxRelay.retryAttempts, baseDelayMs: options.bus?.baseDelayMs ?? 500 },
    accepted: () => bus.expect(),
  });
  bus.addFeeder(stream);
  const dynamo: EmbeddedDynamo = await startDynalite(credentials, persistent ? join(dataDir, "dynamodb") : undefined, (req, body, res) => stream.observe(req, body, res));
  await bus.start();

  // The composition root reads its configuration from the environment, as on Lambda.
  const region = process.env.AWS_REGION ?? "us-east-1";
  await ensureTable(dynamo.endpoint, TABLE_NAME, region, credentials);
  const kms = await startLocalKms({ masterKey: readFileSync(ensureKeyFile(dataDir, "local-kms.key")), region, credentials });
  await ensureBranchKeyStore({
    dynamoEndpoint: dynamo.endpoint, kmsEndpoint: kms.endpoint, kmsKeyArn: kms.keyArn, region,
    tableName: BRANCH_KEY_TABLE_NAME, branchKeyId: TOTP_BRANCH_KEY_ID, credentials,
  });
  const restoreEnvironment = setEnvironment({
    AWS_REGION: region,
    // The handlers' clients find these first in the SDK's chain: a profile or session token of the
    // shell would come before them or be sent along, and the stand-ins would refuse either.
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    TABLE_NAME,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    EVENT_BUS_NAME: "twofactor-local",
    EVENTBRIDGE_ENDPOINT: bus.endpoint,
    KMS_KEY_ARN: kms.keyArn,
    KMS_ENDPOINT: kms.endpoint,
    BRANCH_KEY_TABLE_NAME,
    BRANCH_KEY_ID: TOTP_BRANCH_KEY_ID,
    // Secrets sealed before the hierarchical keyring (by the raw AES key ring) still open with it.
    LOCAL_KEY_FILE: ensureKeyFile(dataDir),
    OUTBOX_SWEEP_GRACE_SECONDS: String(Math.ceil(sweep.graceMs / 1000)),
    ...(options.totpIssuer ? { TOTP_ISSUER: options.totpIssuer } : {}),
    ...options.env,
  });

  // The default WebAuthn origin names the port, known only once the server listens (port 0 picks
  // one). So listen first, then finish the configuration; requests that arrive meanwhile wait for it,
  // so that none is handled by a composition built without the relying party.
  let ready!: () => void;
  const configured = new Promise<void>((resolve) => (ready = resolve));
  const { server, port } = await startHttpServer({
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    routes,
    fallbackHandler: fallbackRoute.handler,
    loadHandler: async (handler) => {
      await configured;
      const http = await loadHandler<HttpHandler>(handler);
      return (event, context) => runAs(handler, () => http(event, context));
    },
    trustProxy: options.trustProxy ?? false,
    corsOrigins: options.corsOrigins,
    site: consoleSite(),
    log: options.log,
  });
  const restoreRelyingParty = setEnvironment({
    WEBAUTHN_RP_ID: options.webauthn?.rpId ?? "localhost",
    WEBAUTHN_ORIGINS: (options.webauthn?.origins?.length ? options.webauthn.origins : [`http://localhost:${port}`]).join(","),
    ...(options.webauthn?.rpName ? { WEBAUTHN_RP_NAME: options.webauthn.rpName } : {}),
  });
  const mailDir = join(dataDir, "mail");
  let transport: MailSender = new EmlMailWriter(mailDir);
  const mailer: MailSender = { send: (raw, envelope) => transport.send(raw, envelope) };
  /** A cold start: the composition root reads the environment just set, once, as a new Lambda container would. */
  const coldStart = () => startFresh({ clock: options.clock, passwords: options.passwordHasher, wrapVault: options.wrapVault, mailer });
  try {
    coldStart();
    // Whatever a previous process still owed is published: the stream's records it never
    // consumed (from now on, in order), and the backlog (before serving).
    stream.recover();
    await runAs(outboxSweep.handler, async () => (await loadHandler<() => Promise<unknown>>(outboxSweep.handler))());
  } catch (error) {
    await closeServer(server, "local API server");
    restoreRelyingParty();
    restoreEnvironment();
    removeTemporaryFolder();
    throw error;
  }
  const sweepOutbox = async () => {
    const handler = await loadHandler<() => Promise<{ published: number; skipped: number }>>(outboxSweep.handler);
    return runAs(outboxSweep.handler, () => handler());
  };
  const sweepResets = async () => {
    const handler = await loadHandler<() => Promise<{ applied: number }>>(resetTimers.handler);
    return runAs(resetTimers.handler, () => handler());
  };
  const sweepRollouts = async () => {
    const handler = await loadHandler<() => Promise<{ resumed: number }>>(stalledRollouts.handler);
    return runAs(stalledRollouts.handler, () => handler());
  };
  const timer = setInterval(() => {
    void sweepOutbox().catch(() => {});
    void sweepResets().catch(() => {});
    void sweepRollouts().catch(() => {});
  }, sweep.intervalMs);
  timer.unref();
  ready();

  return {
    url: `http://localhost:${port}`,
    port,
    dataDir,
    mailDir,
    get mailer() { return transport; },
    set mailer(next: MailSender) { transport = next; },
    bus,
    kms,
    credentials,
    tableStream: stream,
    runtime,
    sweepOutbox,
    sweepResets,
    sweepRollouts,
    coldStart,
    async stop() {
      clearInterval(timer);
      await closeServer(server, "local API server");
      await stream.stop();
      await bus.stop();
      await kms.stop();
      await dynamo.close();
      restoreRelyingParty();
      restoreEnvironment();
      removeTemporaryFolder();
    },
  };
}

/**
 * Sets the variables a runtime's composition reads, and returns what puts the previous values back:
 * a process may start one runtime after another (test files sharing a worker), and none may inherit
 * another's settings (a test's network limit, a stand-in KMS).
 */
function setEnvironment(variables: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  const assign = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  };
  assign(variables);
  return () => assign(previous);
}
