import { addressOf } from "@twofactor/core";

/**
 * What differs between stages. `prod` keeps its data, logs and event archive when the stack goes
 * away; every other stage is disposable. A stage is one origin (its CloudFront distribution: the
 * console at `/`, the API at `/v1/*`), so the WebAuthn relying party, its origins and the device
 * cookie follow from that origin: the distribution's own domain, or DOMAIN_NAME. `prod` refuses to
 * synthesize without a domain of its own, someone to hear its alarms and a sender for its security
 * mails. Never CORS `*` (the API takes credentials: bearer tokens, a cookie).
 */
export interface StageConfig {
  /** Retain the tables, the key, function and access logs and the event archive on removal. */
  retain: boolean;
  /** The stage's own domain, served by its distribution; none: the distribution's `*.cloudfront.net` name. */
  domain?: Domain;
  /** Other browser origins (frontends of other sites) allowed to call the API; the console needs none. */
  corsOrigins: string[];
  /**
   * The API's own throttling, a backstop sized from capacity: per-client limits are WAF's (`waf`).
   * `credentialThrottle` is per route on the routes that check a credential or create an account.
   */
  throttle: { rate: number; burst: number };
  credentialThrottle: { rate: number; burst: number };
  /** WAF's rate-based rules: requests per client IP per five minutes, past which the edge answers 429. */
  waf: WafLimits;
  /**
   * The distribution's WAF web ACL (with `waf`'s limits) and its logs. `prod` always has it; another
   * stage only with WAF=on, since the ACL's $10 a month is most of what a stage costs at rest.
   */
  webAcl: boolean;
  /** The stage's CloudWatch dashboard ($3 a month): on `prod`, and on another stage with DASHBOARD=on. */
  dashboard: boolean;
  /** Function, access and WAF logs. */
  logRetention: "one_week" | "one_month" | "three_months";
  /** Application log level (Powertools and Lambda's log filter); Lambda's own system logs are kept at WARN. */
  logLevel: LogLevel;
  archiveRetentionDays: number;
  /** Days the audit log keeps an entry (AUDIT_RETENTION_DAYS; the table's TTL deletes it after); 0 keeps it for good. */
  auditRetentionDays: number;
  /** Partitions of the outbox index (functions/config.ts OUTBOX_SHARDS). */
  outboxShards: number;
  /**
   * A table restored from a point in time that the functions use instead of the stage's own
   * (RESTORED_TABLE_NAME), and its stream, which the outbox relay reads (RESTORED_TABLE_STREAM_ARN).
   */
  restoredTable?: { name: string; streamArn: string };
  /** Who hears the alarms; a disposable stage has none unless someone is named. */
  alarms: AlarmSettings;
  /** WebAuthn, TOTP and mail settings given explicitly; what is not given follows from the stage's origin (infra/origin.ts). */
  service: ServiceSettings;
}

export interface Domain {
  name: string;
  /** A Route 53 hosted zone holding `name`: the certificate is validated there and the name pointed at the distribution. */
  hostedZoneId?: string;
  /** An ACM certificate for `name` in us-east-1 (where CloudFront takes them from), when DNS is elsewhere. */
  certificateArn?: string;
}

export interface WafLimits {
  /** `/v1/auth/*`: logins and second-factor challenges. */
  auth: number;
  /** `POST /v1/users`: sign-up (an argon2 hash and an account per call). */
  signUp: number;
  /** `/v1/me/reauthenticate*`: second-factor checks of a signed-in session. */
  reauthenticate: number;
}

export interface AlarmSettings {
  enabled: boolean;
  /** The person the alarms reach (ALARM_EMAIL); required on `prod`. */
  email?: string;
  /** More subscribers: email addresses and https:// endpoints such as a pager's webhook (ALARM_SUBSCRIBERS). */
  subscribers: string[];
}

export interface ServiceSettings {
  rpId?: string;
  origins?: string[];
  rpName?: string;
  totpIssuer?: string;
  /**
   * Who security mails come from (MAIL_FROM, `Name <address>`): the Mail stack makes the SES
   * identity of its domain. Required on `prod`; a disposable stage without it has no identity,
   * and SES refuses its mails (they dead-letter, and the alarm says so).
   */
  mailFrom?: string;
  /** Mails one address gets at most per hour (MAIL_RATE_PER_HOUR). */
  mailRatePerHour?: number;
}

export const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type StageDefaults = Omit<StageConfig, "domain" | "corsOrigins" | "alarms" | "service" | "restoredTable"> & {
  /** Refuse to synthesize without a domain of its own and ALARM_EMAIL. */
  production: boolean;
};

const disposable: StageDefaults = {
  retain: false,
  throttle: { rate: 50, burst: 100 },
  credentialThrottle: { rate: 20, burst: 40 },
  waf: { auth: 300, signUp: 50, reauthenticate: 100 },
  logRetention: "one_week",
  logLevel: "DEBUG",
  archiveRetentionDays: 7,
  auditRetentionDays: 30,
  outboxShards: 8,
  webAcl: false,
  dashboard: false,
  production: false,
};

/**
 * `prod`'s backstops: 300 credential checks a second (about 60 argon2 logins of ~0.2 s running at
 * once, a small share of an account's default 1,000 concurrent executions, so a flood that gets past
 * WAF cannot starve the other routes), 1,000 requests a second in all (a tenth of API Gateway's
 * account limit). WAF's per-IP limits: a login takes 2–3 requests, so 300 in five minutes is about
 * 100 logins from one address, room for an office behind one NAT.
 */
const stages: Record<string, StageDefaults> = {
  prod: {
    retain: true,
    throttle: { rate: 1000, burst: 2000 },
    credentialThrottle: { rate: 300, burst: 600 },
    waf: { auth: 300, signUp: 50, reauthenticate: 100 },
    logRetention: "three_months",
    logLevel: "INFO",
    archiveRetentionDays: 90,
    auditRetentionDays: 365,
    outboxShards: 8,
    webAcl: true,
    dashboard: true,
    production: true,
  },
};

const list = (value: string | undefined) => value?.split(",").map((item) => item.trim()).filter(Boolean) ?? [];
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** What a production stage must be given, with made-up values: the error's example, the tests' and the cost model's prod. */
export const EXAMPLE_PRODUCTION_SETTINGS = {
  DOMAIN_NAME: "auth.example.com", HOSTED_ZONE_ID: "Z0123456789ABC", ALARM_EMAIL: "oncall@example.com", MAIL_FROM: "Example <security@example.com>",
} as const;

export function stageConfig(stage: string, env: NodeJS.ProcessEnv = process.env): StageConfig {
  const { production, ...defaults } = stages[stage] ?? disposable;
  const domain = domainOf(env);
  const alarms = alarmsOf(env, production);
  if (production) {
    const missing = [
      ...(domain ? [] : ["DOMAIN_NAME (with HOSTED_ZONE_ID or CERTIFICATE_ARN)"]),
      ...(alarms.email ? [] : ["ALARM_EMAIL"]),
      ...(env.MAIL_FROM?.trim() ? [] : ["MAIL_FROM"]),
    ];
    if (missing.length) {
      throw new Error(
        `Stage '${stage}' needs ${[missing.slice(0, -1).join(", "), missing.at(-1)].filter(Boolean).join(" and ")} in the deploy environment: its WebAuthn relying party is its ` +
        "domain for good (security keys work for that name alone), its alarms must reach a person, and its security " +
        `mails need a sender at a domain SES can verify. Example: ${Object.entries(EXAMPLE_PRODUCTION_SETTINGS).map(([name, value]) =>
          `${name}=${value.includes(" ") ? `'${value}'` : value}`).join(" ")} npm run deploy -- --stage prod`,
      );
    }
  }
  const corsOrigins = list(env.CORS_ORIGINS);
  for (const origin of corsOrigins) checkOrigin(stage, "CORS_ORIGINS", origin, production);
  const logLevel = (env.LOG_LEVEL?.toUpperCase() ?? defaults.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not '${env.LOG_LEVEL}'.`);
  const outboxShards = whole(env, "OUTBOX_SHARDS", defaults.outboxShards, 1, 256);
  const auditRetentionDays = whole(env, "AUDIT_RETENTION_DAYS", defaults.auditRetentionDays, 0, 36_500);
  const waf = {
    auth: whole(env, "WAF_RATE_AUTH", defaults.waf.auth, 10, 2_000_000_000),
    signUp: whole(env, "WAF_RATE_SIGN_UP", defaults.waf.signUp, 10, 2_000_000_000),
    reauthenticate: whole(env, "WAF_RATE_REAUTHENTICATE", defaults.waf.reauthenticate, 10, 2_000_000_000),
  };
  const webAcl = toggle(env, "WAF", defaults.webAcl);
  // The per-IP limits on the credential paths are prod's defence against password spraying.
  if (production && !webAcl) throw new Error(`Stage '${stage}' keeps its WAF web ACL: WAF=off is for a developer's stage.`);
  const dashboard = toggle(env, "DASHBOARD", defaults.dashboard);
  const restoredTable = restoredTableOf(env);
  return {
    ...defaults, domain, corsOrigins, logLevel, outboxShards, auditRetentionDays, waf, webAcl, dashboard, alarms, restoredTable,
    service: serviceOf(stage, env, domain, production),
  };
}

function restoredTableOf(env: NodeJS.ProcessEnv): StageConfig["restoredTable"] {
  const name = env.RESTORED_TABLE_NAME?.trim() || undefined;
  const streamArn = env.RESTORED_TABLE_STREAM_ARN?.trim() || undefined;
  if (!name && !streamArn) return undefined;
  if (!name || !/^[\w.-]{3,255}$/.test(name)) throw new Error(`RESTORED_TABLE_NAME must be a DynamoDB table name, not '${name ?? ""}'.`);
  // Without its stream the relay would publish nothing the restored table's writes owe.
  if (!streamArn || !new RegExp(`^arn:aws[\\w-]*:dynamodb:[\\w-]+:\\d{12}:table/${name.replace(/\./g, "\\.")}/stream/[\\w:.-]+$`).test(streamArn)) {
    throw new Error(`RESTORED_TABLE_STREAM_ARN must be the stream of ${name} (enable it with new and old images first), not '${streamArn ?? ""}'.`);
  }
  return { name, streamArn };
}

/** `on` or `off` (any case); unset or empty: the stage's default. */
function toggle(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (!value) return fallback;
  if (value !== "on" && value !== "off") throw new Error(`${name} must be on or off, not '${env[name]}'.`);
  return value === "on";
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = env[name] ? Number(env[name]) : fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not '${env[name]}'.`);
  return value;
}

function domainOf(env: NodeJS.ProcessEnv): Domain | undefined {
  const name = env.DOMAIN_NAME?.trim().toLowerCase();
  const hostedZoneId = env.HOSTED_ZONE_ID?.trim() || undefined;
  const certificateArn = env.CERTIFICATE_ARN?.trim() || undefined;
  if (!name) {
    if (hostedZoneId || certificateArn) throw new Error("HOSTED_ZONE_ID and CERTIFICATE_ARN go with DOMAIN_NAME, the name they are for.");
    return undefined;
  }
  if (!HOSTNAME.test(name)) throw new Error(`DOMAIN_NAME must be a host name such as auth.example.com, not '${env.DOMAIN_NAME}'.`);
  if (!hostedZoneId && !certificateArn) {
    throw new Error("DOMAIN_NAME needs HOSTED_ZONE_ID (a Route 53 zone: the certificate and the record are made there) or CERTIFICATE_ARN.");
  }
  if (hostedZoneId && !/^Z[A-Z0-9]{1,31}$/.test(hostedZoneId)) throw new Error(`HOSTED_ZONE_ID must be a Route 53 zone id (Z…), not '${hostedZoneId}'.`);
  // CloudFront takes its certificates from us-east-1 only, whatever the stage's region.
  if (certificateArn && !/^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn)) {
    throw new Error(`CERTIFICATE_ARN must be an ACM certificate in us-east-1 (CloudFront's), not '${certificateArn}'.`);
  }
  return { name, hostedZoneId, certificateArn };
}

function alarmsOf(env: NodeJS.ProcessEnv, production: boolean): AlarmSettings {
  const email = env.ALARM_EMAIL?.trim() || undefined;
  if (email && !EMAIL.test(email)) throw new Error(`ALARM_EMAIL must be an email address, not '${email}'.`);
  const subscribers = list(env.ALARM_SUBSCRIBERS);
  for (const subscriber of subscribers) {
    if (!/^https:\/\/\S+$/.test(subscriber) && !EMAIL.test(subscriber)) {
      throw new Error(`ALARM_SUBSCRIBERS takes email addresses and https:// URLs, not '${subscriber}'.`);
    }
  }
  // An alarm nobody hears costs money and means nothing: a disposable stage has them only when someone is named.
  return { enabled: production || Boolean(email) || subscribers.length > 0, email, subscribers };
}

/**
 * A relying party is for good: security keys registered under an RP ID work for that ID only. So
 * what is given is checked against the stage's domain, and `prod` takes https:// origins only.
 */
function serviceOf(stage: string, env: NodeJS.ProcessEnv, domain: Domain | undefined, production: boolean): ServiceSettings {
  const rpId = env.WEBAUTHN_RP_ID?.trim().toLowerCase() || undefined;
  const origins = list(env.WEBAUTHN_ORIGINS);
  for (const origin of origins) checkOrigin(stage, "WEBAUTHN_ORIGINS", origin, production);
  if (rpId && domain && domain.name !== rpId && !domain.name.endsWith(`.${rpId}`)) {
    throw new Error(`Stage '${stage}': WEBAUTHN_RP_ID '${rpId}' must be ${domain.name} or a parent domain of it (WebAuthn §5.1.3).`);
  }
  if (rpId) {
    for (const origin of origins) {
      const host = new URL(origin).hostname;
      if (host !== rpId && !host.endsWith(`.${rpId}`)) {
        throw new Error(`Stage '${stage}': WEBAUTHN_RP_ID '${rpId}' must be ${host} or a parent domain of it (WebAuthn §5.1.3).`);
      }
    }
  }
  const mailFrom = env.MAIL_FROM?.trim() || undefined;
  if (mailFrom && !mailDomainOf(mailFrom)?.includes(".")) {
    throw new Error(`MAIL_FROM must be an address at a domain (security@example.com, or Name <security@example.com>), not '${mailFrom}'.`);
  }
  return {
    ...(rpId ? { rpId } : {}),
    ...(origins.length ? { origins } : {}),
    ...(env.WEBAUTHN_RP_NAME ? { rpName: env.WEBAUTHN_RP_NAME } : {}),
    ...(env.TOTP_ISSUER ? { totpIssuer: env.TOTP_ISSUER } : {}),
    ...(mailFrom ? { mailFrom } : {}),
    ...(env.MAIL_RATE_PER_HOUR ? { mailRatePerHour: whole(env, "MAIL_RATE_PER_HOUR", 0, 1, 10_000) } : {}),
  };
}

/** The domain of a `Name <address>` (the SES identity a stage sends from), or undefined when it names no address. */
export function mailDomainOf(mailbox: string): string | undefined {
  try {
    return addressOf(mailbox).split("@")[1]?.toLowerCase();
  } catch {
    return undefined;
  }
}

function checkOrigin(stage: string, name: string, origin: string, production: boolean): void {
  if (origin === "*") throw new Error(`${name} must list origins, not '*'.`);
  if (!URL.canParse(origin) || new URL(origin).origin !== origin) throw new Error(`Stage '${stage}': '${origin}' in ${name} is not an origin (https://host[:port]).`);
  if (production && new URL(origin).protocol !== "https:") throw new Error(`Stage '${stage}' takes https:// origins only, not '${origin}'.`);
}
