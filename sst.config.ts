import type { SSTConfig } from "sst";
import { addStacks, appConfig } from "./infra/app.js";

export default {
  config: appConfig,
  stacks(app) {
    addStacks(app);
  },
} satisfies SSTConfig;
