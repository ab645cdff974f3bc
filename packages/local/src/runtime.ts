import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import type { Clock } from "@twofactor/core";
import { subscriptions } from "@twofactor/events/subscriptions";
import { getRuntime, type Runtime } from "@twofactor/functions/composition";
import { routes } from "@twofactor/functions/http/routes";
import { startDynalite, ensureTable, type EmbeddedDynamo } from "./dynamo-server.js";
import { LocalEventBus, type Consumer } from "./event-bus.js";
import { startHttpServer, type HttpHandler } from "./http-server.js";
import { ensureKeyFile } from "./key-file.js";
import { loadHandler } from "./load-handler.js";

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
   * (API.md, Running locally); `npm start` passes WEBAUTHN_RP_ID / WEBAUTHN_ORIGINS / WEBAUTHN_RP_NAME.
   */
  webauthn?: { rpId?: string; origins?: string[]; rpName?: string };
  bus?: { attempts: number; baseDelayMs: number };
  /** How often the outbox is swept, and how old an unpublished event must be to be swept. */
  sweep?: { intervalMs: number; graceMs: number };
  log?: (line: string) => void;
  /**
   * The time the use cases read (the Clock port); the wall clock by default. Tests pass their own,
   * so that they compute TOTP codes for the instant the server checks them at.
   */
  clock?: Clock;
}

export interface LocalRuntime {
  url: string;
  port: number;
  dataDir: string;
  bus: LocalEventBus;
  runtime: Runtime;
  /** Stops accepting requests, lets the bus finish its deliveries, closes the store. */
  stop(): Promise<void>;
}

const TABLE_NAME = "twofactor";

/** The whole system on one machine: dynalite, a local key ring, the local bus and the HTTP server. */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  // Node 20 is this project's local platform by design (Lambda runs Node 22): the SDK's notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const persistent = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "twofactor-"));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const dynamo: EmbeddedDynamo = await startDynalite(persistent ? join(dataDir, "dynamodb") : undefined);
  const bus = new LocalEventBus({
    subscriptions,
    loadConsumer: (handler) => loadHandler<Consumer>(handler),
    deadLetterFile: join(dataDir, "dead-letters.jsonl"),
    spoolFile: join(dataDir, "bus-spool.jsonl"),
    retry: options.bus,
  });
  await bus.start();

  // The composition root reads its configuration from the environment, as on Lambda.
  const region = process.env.AWS_REGION ?? "us-east-1";
  await ensureTable(dynamo.endpoint, TABLE_NAME, region);
  Object.assign(process.env, {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    TABLE_NAME,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    EVENT_BUS_NAME: "twofactor-local",
    EVENTBRIDGE_ENDPOINT: bus.endpoint,
    LOCAL_KEY_FILE: ensureKeyFile(dataDir),
    ...(options.totpIssuer ? { TOTP_ISSUER: options.totpIssuer } : {}),
  });
  delete process.env.KMS_KEY_ARN;

  // The default WebAuthn origin names the port, known only once the server listens (port 0 picks
  // one). So listen first, then finish the configuration; requests that arrive meanwhile wait for it,
  // so that none is handled by a composition built without the relying party.
  let ready!: () => void;
  const configured = new Promise<void>((resolve) => (ready = resolve));
  const { server, port } = await startHttpServer({
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    routes,
    loadHandler: async (handler) => {
      await configured;
      return loadHandler<HttpHandler>(handler);
    },
    trustProxy: options.trustProxy ?? false,
    corsOrigins: options.corsOrigins,
    log: options.log,
  });
  Object.assign(process.env, {
    WEBAUTHN_RP_ID: options.webauthn?.rpId ?? "localhost",
    WEBAUTHN_ORIGINS: (options.webauthn?.origins?.length ? options.webauthn.origins : [`http://localhost:${port}`]).join(","),
    ...(options.webauthn?.rpName ? { WEBAUTHN_RP_NAME: options.webauthn.rpName } : {}),
  });
  let runtime: Runtime;
  try {
    runtime = await getRuntime();
    if (options.clock) runtime.deps.clock = options.clock;
    // Whatever a previous process still owed is published before serving.
    await runtime.outbox.sweep(new Date());
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  const sweep = options.sweep ?? { intervalMs: 5_000, graceMs: 10_000 };
  const timer = setInterval(() => void runtime.outbox.sweep(new Date(Date.now() - sweep.graceMs)).catch(() => {}), sweep.intervalMs);
  timer.unref();
  ready();

  return {
    url: `http://localhost:${port}`,
    port,
    dataDir,
    bus,
    runtime,
    async stop() {
      clearInterval(timer);
      await closeServer(server);
      await bus.stop();
      await dynamo.close();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeIdleConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
