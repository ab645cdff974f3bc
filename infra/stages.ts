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
}

const disposable: StageConfig = {
  retain: false,
  corsOrigins: ["http://localhost:3000"],
  throttle: { rate: 20, burst: 40 },
  logRetention: "one_week",
  archiveRetentionDays: 7,
};

const stages: Record<string, StageConfig> = {
  prod: {
    retain: true,
    corsOrigins: [],
    throttle: { rate: 200, burst: 400 },
    logRetention: "three_months",
    archiveRetentionDays: 90,
  },
};

export function stageConfig(stage: string, env: NodeJS.ProcessEnv = process.env): StageConfig {
  const config = stages[stage] ?? disposable;
  const origins = env.CORS_ORIGINS?.split(",").map((o) => o.trim()).filter(Boolean);
  if (origins?.includes("*")) throw new Error("CORS_ORIGINS must list origins, not '*'.");
  return origins?.length ? { ...config, corsOrigins: origins } : config;
}
