import { resumeStalledRollouts } from "@twofactor/core";
import { logger } from "@twofactor/http";
import { deps } from "../composition.js";

/**
 * Scheduled: a rollout whose continuation was dead-lettered (or whose consumer kept failing) is
 * sent its continuations again, so that no team stays half enforced.
 */
export const handler = async (): Promise<{ resumed: number }> => {
  const resumed = await resumeStalledRollouts(deps());
  if (resumed) logger.warn("stalled rollouts resumed", { resumed });
  return { resumed };
};
