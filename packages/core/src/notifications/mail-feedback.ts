import type { MailFeedback } from "@twofactor/events/mail-feedback";
import { normalizeEmail } from "../accounts/email.js";
import type { Deps } from "../deps.js";

/**
 * Records what the mail service reported back: an address that bounced hard, or whose owner marked
 * a mail as spam, is not mailed again (a soft bounce may pass, and changes nothing). Answers the
 * addresses now suppressed. Idempotent: a repeat writes the same.
 */
export async function recordMailFeedback(deps: Pick<Deps, "mailSuppressions" | "clock">, feedback: MailFeedback): Promise<string[]> {
  if (feedback.kind === "bounce" && !feedback.permanent) return [];
  const reason = feedback.kind === "bounce" ? "bounce" : "complaint";
  const addresses = [...new Set(feedback.addresses.map(normalizeEmail))];
  const at = deps.clock.now();
  await Promise.all(addresses.map((address) => deps.mailSuppressions.suppress(address, reason, at)));
  return addresses;
}
