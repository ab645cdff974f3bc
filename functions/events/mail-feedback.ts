import { recordMailFeedback } from "@twofactor/core";
import { parseMailFeedback } from "@twofactor/events/mail-feedback";
import { logger } from "@twofactor/http";
import { consumeWith } from "./consumer.js";

/** SES's hard bounces and complaints → the address is not mailed again. */
export const handler = consumeWith(parseMailFeedback, async (deps, feedback) => {
  const suppressed = await recordMailFeedback(deps, feedback);
  logger.info("mail feedback", { kind: feedback.kind, feedbackId: feedback.feedbackId, suppressed: suppressed.length });
});
