/**
 * What differs between stages. `prod` keeps its data when the stack goes away; every other stage
 * is disposable. Settings that name the deployment (browser origins, the WebAuthn relying party,
 * who hears the alarms) come from the deploy environment; `prod` refuses to synthesize without
 * them. Never CORS `*` (the API takes credentials: bearer tokens, a cookie).
 */
export interface StageConfig {
  /** Retain the table and the key on removal, protect the table from deletion. */
  retain: boolean;
  corsOrigins: string[];
  /** Steady requests per second and burst, for every route (API Gateway stage throttling). */
  throttle: { rate: number; burst: number };
  /**
   * Tighter limits, per route, for the routes that check a credential or create an account
   * (`/v1/auth/*`, sign-up, reauthentication): guessing and argon2 cost are bounded there first.
   */
  credentialThrottle: { rate: number; burst: number };
  /** Function and access logs. */
  logRetention: "one_week" | "one_month" | "three_months";
  /** Application log level (Powertools and Lambda's log filter); Lambda's own system logs are kept at WARN. */
  logLevel: LogLevel;
  archiveRetentionDays: number;
  /** Days the audit log keeps an entry (AUDIT_RETENTION_DAYS; the table's TTL deletes it after); 0 keeps it for good. */
  auditRetentionDays: number;
  /** Partitions of the outbox index (functions/config.ts OUTBOX_SHARDS). */
  outboxShards: number;
  /** Who hears the alarms: email addresses and https:// endpoints (a pager's webhook), subscribed to one SNS topic. */
  alarmSubscribers: string[];
  /**
   * Settings of the service itself that differ per deployment (functions/config.ts reads
   * them): the WebAuthn relying party and the TOTP issuer. Taken from the deploy environment
   * (`WEBAUTHN_RP_ID`, `WEBAUTHN_ORIGINS`, `WEBAUTHN_RP_NAME`, `TOTP_ISSUER`); on a disposable
   * stage the WebAuthn origins default to the CORS origins (the pages that call the API run the
   * ceremonies) and the relying party to the first origin's host.
   */
  serviceEnvironment: Record<string, string>;
}

export const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface StageDefaults extends Omit<StageConfig, "serviceEnvironment"> {
  /** Refuse to synthesize unless the deployment names its origins and relying party itself. */
  requireExplicitSettings: boolean;
}

const disposable: StageDefaults = {
  retain: false,
  corsOrigins: ["http://localhost:3000"],
  throttle: { rate: 20, burst: 40 },
  credentialThrottle: { rate: 5, burst: 10 },
  logRetention: "one_week",
  logLevel: "DEBUG",
  archiveRetentionDays: 7,
  auditRetentionDays: 30,
  outboxShards: 8,
  alarmSubscribers: [],
  requireExplicitSettings: false,
};

const stages: Record<string, StageDefaults> = {
  prod: {
    retain: true,
    corsOrigins: [],
    throttle: { rate: 200, burst: 400 },
    credentialThrottle: { rate: 50, burst: 100 },
    logRetention: "three_months",
    logLevel: "INFO",
    archiveRetentionDays: 90,
    auditRetentionDays: 365,
    outboxShards: 8,
    alarmSubscribers: [],
    requireExplicitSettings: true,
  },
};

/** What a `prod` deploy must be told: without them its functions would trust `localhost` as the relying party. */
export const REQUIRED_ON_PROD = ["CORS_ORIGINS", "WEBAUTHN_RP_ID", "WEBAUTHN_ORIGINS"] as const;

const list = (value: string | undefined) => value?.split(",").map((item) => item.trim()).filter(Boolean) ?? [];

export function stageConfig(stage: string, env: NodeJS.ProcessEnv = process.env): StageConfig {
  const { requireExplicitSettings, ...defaults } = stages[stage] ?? disposable;
  if (requireExplicitSettings) checkExplicitSettings(stage, env);
  const origins = list(env.CORS_ORIGINS);
  if (origins.includes("*")) throw new Error("CORS_ORIGINS must list origins, not '*'.");
  const consoleOrigin = env.CONSOLE_ORIGIN?.trim();
  const corsOrigins = withConsole(consoleOrigin, origins.length ? origins : defaults.corsOrigins);
  const logLevel = (env.LOG_LEVEL?.toUpperCase() ?? defaults.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not '${env.LOG_LEVEL}'.`);
  const outboxShards = env.OUTBOX_SHARDS ? Number(env.OUTBOX_SHARDS) : defaults.outboxShards;
  if (!Number.isInteger(outboxShards) || outboxShards < 1 || outboxShards > 256) throw new Error("OUTBOX_SHARDS must be an integer from 1 to 256.");
  const auditRetentionDays = env.AUDIT_RETENTION_DAYS ? Number(env.AUDIT_RETENTION_DAYS) : defaults.auditRetentionDays;
  if (!Number.isInteger(auditRetentionDays) || auditRetentionDays < 0 || auditRetentionDays > 36_500) {
    throw new Error("AUDIT_RETENTION_DAYS must be a whole number of days from 0 (keep for good) to 36500.");
  }
  const alarmSubscribers = env.ALARM_SUBSCRIBERS !== undefined ? list(env.ALARM_SUBSCRIBERS) : defaults.alarmSubscribers;
  for (const subscriber of alarmSubscribers) {
    if (!/^https:\/\/\S+$/.test(subscriber) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(subscriber)) {
      throw new Error(`ALARM_SUBSCRIBERS takes email addresses and https:// URLs, not '${subscriber}'.`);
    }
  }
  return { ...defaults, corsOrigins, logLevel, outboxShards, auditRetentionDays, alarmSubscribers, serviceEnvironment: serviceEnvironment(corsOrigins, env) };
}

/**
 * A production relying party is for good: security keys registered under an RP ID work for that ID
 * only. So `prod` takes it from nobody's guess, and refuses plain-HTTP origins.
 */
function checkExplicitSettings(stage: string, env: NodeJS.ProcessEnv): void {
  const missing = REQUIRED_ON_PROD.filter((name) => list(env[name]).length === 0);
  if (missing.length) {
    throw new Error(
      `Stage '${stage}' needs ${missing.join(", ")} in the deploy environment: the browser origins allowed to call ` +
      "the API (CORS_ORIGINS), the WebAuthn relying party ID, a registrable domain such as example.com (WEBAUTHN_RP_ID), " +
      "and the page origins security keys are used from (WEBAUTHN_ORIGINS). Example: CORS_ORIGINS=https://app.example.com " +
      "WEBAUTHN_RP_ID=example.com WEBAUTHN_ORIGINS=https://app.example.com npm run deploy -- --stage prod",
    );
  }
  const rpId = env.WEBAUTHN_RP_ID!.trim();
  for (const origin of [...list(env.CORS_ORIGINS), ...list(env.WEBAUTHN_ORIGINS), ...list(env.CONSOLE_ORIGIN)]) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`Stage '${stage}': '${origin}' is not an origin (https://host[:port]).`);
    }
    if (url.protocol !== "https:") throw new Error(`Stage '${stage}' takes https:// origins only, not '${origin}'.`);
  }
  for (const origin of list(env.WEBAUTHN_ORIGINS)) {
    const host = new URL(origin).hostname;
    if (host !== rpId && !host.endsWith(`.${rpId}`)) {
      throw new Error(`Stage '${stage}': WEBAUTHN_RP_ID '${rpId}' must be ${host} or a parent domain of it (WebAuthn §5.1.3).`);
    }
  }
}

/**
 * The deployed console's origin (`CONSOLE_ORIGIN`: its custom domain, or the `ConsoleUrl` the Console
 * stack printed on the first deploy) comes first among the origins: it may call the API, and on a
 * disposable stage it becomes the WebAuthn relying party, so security keys work from it.
 */
function withConsole(consoleOrigin: string | undefined, origins: string[]): string[] {
  if (!consoleOrigin) return origins;
  if (!URL.canParse(consoleOrigin) || new URL(consoleOrigin).origin !== consoleOrigin) {
    throw new Error(`CONSOLE_ORIGIN must be an origin (https://host[:port]), not '${consoleOrigin}'.`);
  }
  return [consoleOrigin, ...origins.filter((origin) => origin !== consoleOrigin)];
}

const SERVICE_SETTINGS = ["WEBAUTHN_RP_ID", "WEBAUTHN_RP_NAME", "WEBAUTHN_ORIGINS", "TOTP_ISSUER"] as const;

function serviceEnvironment(corsOrigins: string[], env: NodeJS.ProcessEnv): Record<string, string> {
  const derived: Record<string, string> = corsOrigins.length
    ? { WEBAUTHN_ORIGINS: corsOrigins.join(","), WEBAUTHN_RP_ID: new URL(corsOrigins[0]!).hostname }
    : {};
  const given = Object.fromEntries(SERVICE_SETTINGS.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  return { ...derived, ...given };
}
