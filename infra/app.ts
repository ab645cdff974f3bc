import type { App } from "sst/constructs";
import type { SSTConfig } from "sst";
import { Api } from "./api.js";
import { Bus } from "./bus.js";
import { Keys } from "./keys.js";
import { Storage } from "./storage.js";

export const appConfig: SSTConfig["config"] = () => ({ name: "twofactor", region: process.env.AWS_REGION ?? "us-east-1" });

/** Every stack, in dependency order; sst.config.ts, the offline synth and the tests all use this. */
export function addStacks(app: App): void {
  app.stack(Storage).stack(Keys).stack(Bus).stack(Api);
}

export { Api, Bus, Keys, Storage };
