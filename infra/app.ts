import type { SSTConfig } from "sst";
import type { App, StackContext } from "sst/constructs";
import { Alarms } from "./alarms.js";
import { Api } from "./api.js";
import { Bus } from "./bus.js";
import { Console } from "./console.js";
import { Keys } from "./keys.js";
import { suppressAcceptedFindings } from "./nag.js";
import { Storage } from "./storage.js";

export const appConfig: SSTConfig["config"] = () => ({ name: "twofactor", region: process.env.AWS_REGION ?? "us-east-1" });

/** An SST functional stack, as `app.stack` takes it. */
export type StackFn = (ctx: StackContext) => unknown;

/** Every stack, in dependency order. */
export const ALL_STACKS: readonly StackFn[] = [Storage, Keys, Alarms, Bus, Api, Console];

/** Adds the stacks (all, or a leading part of ALL_STACKS); sst.config.ts, the offline synth and the tests use this. */
export function addStacks(app: App, stacks: readonly StackFn[] = ALL_STACKS): void {
  for (const stack of stacks) app.stack(stack);
  suppressAcceptedFindings(app);
}

export { Alarms, Api, Bus, Console, Keys, Storage };
