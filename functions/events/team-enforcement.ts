import { continueRollout } from "@twofactor/core";
import { consume } from "./consumer.js";

/**
 * The enforcement fan-out: one bounded page per invocation, checkpointed on the team item, then
 * continued through the bus (TeamRolloutContinued) until the rollout is complete.
 */
export const handler = consume((deps, event) => continueRollout(deps, event.detail.teamId!, (event.detail as { generation: number }).generation));
