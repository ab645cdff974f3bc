import { continueRollout } from "@twofactor/core";
import { consume } from "./consumer.js";

/**
 * The enforcement fan-out: one bounded page per segment per invocation, checkpointed on the team
 * item, then continued through the bus (TeamRolloutContinued) until every segment is through.
 */
export const handler = consume((deps, event) => {
  const { teamId, generation, segment } = event.detail as { teamId: string; generation: number; segment?: number };
  return continueRollout(deps, teamId, generation, segment);
});
