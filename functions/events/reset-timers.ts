import { takeDueResetsIntoEffect } from "@twofactor/core";
import { deps } from "../composition.js";
import { logger } from "@twofactor/http";

/**
 * Scheduled: every reset whose time has come is written (TwoFactorReset), even for a member who
 * never comes back. Nothing waits for it: every read treats a due reset as taken effect already.
 */
export const handler = async (): Promise<{ applied: number }> => {
  const applied = await takeDueResetsIntoEffect(deps());
  if (applied) logger.info("resets taken into effect", { applied });
  return { applied };
};
