import type { SSTConfig } from "sst";
import type { App, StackContext } from "sst/constructs";
import { Alarms } from "./alarms.js";
import { ApiStage } from "./api-stage.js";
import { Bus } from "./bus.js";
import { Dashboard } from "./dashboard.js";
import { Edge } from "./edge.js";
import { Gateway } from "./gateway.js";
import { Keys } from "./keys.js";
import { Mail } from "./mail.js";
import { suppressAcceptedFindings } from "./nag.js";
import { ApiAccounts, ApiMe, ApiTeams } from "./routes.js";
import { Storage } from "./storage.js";

export const appConfig: SSTConfig["config"] = () => ({ name: "twofactor", region: process.env.AWS_REGION ?? "us-east-1" });

/** An SST functional stack, as `app.stack` takes it. */
export type StackFn = (ctx: StackContext) => unknown;

/**
 * Every stack, in dependency order: the data (table, key and branch key store), the alarm topic,
 * SES's configuration set and identity, the bus and its consumers, the HTTP API (no routes yet), the distribution in front of it, the
 * routes in groups (each told the distribution's origin), the API's stage over all of them, and
 * the stage's dashboard.
 */
export const ALL_STACKS: readonly StackFn[] = [Storage, Keys, Alarms, Mail, Bus, Gateway, Edge, ApiAccounts, ApiMe, ApiTeams, ApiStage, Dashboard];

/** Adds the stacks (all, or a leading part of ALL_STACKS); sst.config.ts, the offline synth and the tests use this. */
export function addStacks(app: App, stacks: readonly StackFn[] = ALL_STACKS): void {
  for (const stack of stacks) app.stack(stack);
  suppressAcceptedFindings(app);
}

export { Alarms, ApiAccounts, ApiMe, ApiStage, ApiTeams, Bus, Dashboard, Edge, Gateway, Keys, Mail, Storage };
