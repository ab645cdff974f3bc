import type { Template } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { ALL_STACKS } from "../../../infra/app.js";
import { ROUTE_GROUPS } from "../../../infra/routes.js";
import { EXAMPLE_PRODUCTION_SETTINGS } from "../../../infra/stages.js";
import { templateOf } from "../template.js";

/**
 * The stage of the main synth: alarms on (someone named), the web ACL and the dashboard turned on as
 * prod has them, another site's origin allowed by CORS, mails from a domain of its own.
 */
export const STAGE = "test";
export const MAIL_FROM = "Example Security <security@mail.example.com>";
export const TEST_ENV = {
  ALARM_EMAIL: "oncall@example.com",
  ALARM_SUBSCRIBERS: "https://pager.example.com/hooks/twofactor",
  CORS_ORIGINS: "https://partner.example.com",
  WAF: "on",
  DASHBOARD: "on",
  MAIL_FROM,
};
/** What a prod deploy must be given (infra/stages.ts refuses to synthesize prod without it). */
export const PROD_ENV = EXAMPLE_PRODUCTION_SETTINGS;

/** The table the `quiet` stage was switched to after a point-in-time restore (RESTORED_TABLE_NAME). */
export const RESTORED_TABLE = "quiet-twofactor-restored-20260101";
/** Its stream, turned on after the restore (RESTORED_TABLE_STREAM_ARN): the outbox relay reads it. */
export const RESTORED_TABLE_STREAM = `arn:aws:dynamodb:us-east-1:123456789012:table/${RESTORED_TABLE}/stream/2026-01-01T00:00:00.000`;

/** Every stack's name, as SST names it: `<stage>-twofactor-<Stack>`. */
export const STACKS = ALL_STACKS.map((stack) => stack.name);
export const ROUTE_STACKS = ROUTE_GROUPS.map((group) => group.stack);

/** The synths the suites read, filled in by stacks.test.ts's beforeAll. */
export interface Synths {
  /** Stage `test` with every function bundled. */
  main: CloudAssembly;
  /** Stage `quiet`: no settings (no alarms, web ACL, dashboard or mail sender), as a developer's stage, switched to a restored table; functions not bundled. */
  quiet: CloudAssembly;
  /** Stage `prod` with its domain, ALARM_EMAIL and MAIL_FROM; functions not bundled. */
  prod: CloudAssembly;
  /** Where the main synth wrote its assets. */
  outdir: string;
}

export const synths = {} as Synths;

export const stackName = (stage: string, id: string) => `${stage}-twofactor-${id}`;
export const main = (id: string): Template => templateOf(synths.main, stackName(STAGE, id));
export const quiet = (id: string): Template => templateOf(synths.quiet, stackName("quiet", id));
export const prod = (id: string): Template => templateOf(synths.prod, stackName("prod", id));

/** Runs `run` with these variables in the environment, then puts the environment back. */
export async function withEnv<T>(env: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const assign = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  };
  assign(env);
  try {
    return await run();
  } finally {
    assign(saved);
  }
}
