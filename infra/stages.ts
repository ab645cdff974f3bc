/**
 * What differs between stages. `prod` keeps its data when the stack goes away; every other stage
 * is disposable. Browser origins allowed by CORS come from `CORS_ORIGINS` (comma-separated) at
 * deploy time, else from here; never `*` (the API takes credentials: bearer tokens, a cookie).
 */
export interface StageConfig {
  /** Retain the table and the key on removal, protect the table from deletion. */
  retain: boolean;
  corsOrigins: string[];
  /** Steady requests per second and burst, for every route (API Gateway stage throttling). */
  throttle: { rate: number; burst: number };
  /** Function and access logs. */
  logRetention: "one_week" | "one_month" | "three_months";
  archiveRetentionDays: number;
  /**
   * Settings of the service itself that differ per deployment (functions/config.ts reads
   * them): the WebAuthn relying party and the TOTP issuer. Taken from the deploy environment
   * (`WEBAUTHN_RP_ID`, `WEBAUTHN_ORIGINS`, `WEBAUTHN_RP_NAME`, `TOTP_ISSUER`); the WebAuthn
   * origins default to the CORS origins (the pages that call the API run the ceremonies) and the
   * relying party to the first origin's host.
   */
  serviceEnvironment: Record<string, string>;
}

const disposable: StageConfig = {
  retain: false,
  corsOrigins: ["http://localhost:3000"],
  throttle: { rate: 20, burst: 40 },
  logRetention: "one_week",
  archiveRetentionDays: 7,
  serviceEnvironment: {},
};

const stages: Record<string, StageConfig> = {
  prod: {
    retain: true,
    corsOrigins: [],
    throttle: { rate: 200, burst: 400 },
    logRetention: "three_months",
    archiveRetentionDays: 90,
    serviceEnvironment: {},
  },
};

export function stageConfig(stage: string, env: NodeJS.ProcessEnv = process.env): StageConfig {
  const config = stages[stage] ?? disposable;
  const origins = env.CORS_ORIGINS?.split(",").map((o) => o.trim()).filter(Boolean);
  if (origins?.includes("*")) throw new Error("CORS_ORIGINS must list origins, not '*'.");
  const corsOrigins = origins?.length ? origins : config.corsOrigins;
  return { ...config, corsOrigins, serviceEnvironment: serviceEnvironment(corsOrigins, env) };
}

const SERVICE_SETTINGS = ["WEBAUTHN_RP_ID", "WEBAUTHN_RP_NAME", "WEBAUTHN_ORIGINS", "TOTP_ISSUER"] as const;

function serviceEnvironment(corsOrigins: string[], env: NodeJS.ProcessEnv): Record<string, string> {
  const derived: Record<string, string> = corsOrigins.length
    ? { WEBAUTHN_ORIGINS: corsOrigins.join(","), WEBAUTHN_RP_ID: new URL(corsOrigins[0]!).hostname }
    : {};
  const given = Object.fromEntries(SERVICE_SETTINGS.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  return { ...derived, ...given };
}
