import type { DomainEvent } from "@twofactor/events";
import type { Deps, WithMail } from "../deps.js";
import { MailNotSentError } from "../errors.js";
import { composeMail } from "./compose.js";
import { draftMail, isMailed, type Draft } from "./draft.js";
import { mailWindowAt } from "./mail-window.js";
import { suppressionSummary } from "./suppression-summary.js";

/**
 * What the notifier did with an event: not a kind that mails; no recipient (the account is gone);
 * mailed before (a redelivery or a replay); sent; not sent to an address that bounced or
 * complained; dropped over the hour's rate; or handed to a transport that failed without saying
 * whether the message went (it is not sent again: at most once).
 */
export type NotifyOutcome = "not_mailed" | "no_recipient" | "duplicate" | "sent" | "suppressed" | "dropped" | "unknown";

/**
 * Mails an event's recipient once at most (docs/decisions/0018-mail-at-most-once.md): the event id is
 * claimed by a conditional write before anything is sent, so a redelivery, a replay from the
 * archive or a crash after the claim never mails twice. A failure before the message is handed
 * over gives the claim back and throws, so that the queue tries again; a transport that refused
 * the message (MailNotSentError) does the same.
 */
export async function notify(deps: Deps & WithMail, event: DomainEvent): Promise<NotifyOutcome> {
  if (!isMailed(event)) return "not_mailed";
  const draft = await draftMail(deps, event);
  if (!draft) return "no_recipient";
  const { eventId } = event.detail;
  const now = deps.clock.now();
  if (!(await deps.mailLog.claim(eventId, now))) return "duplicate";

  let outcome: "sent" | "suppressed" | "dropped";
  try {
    outcome = await deliver(deps, eventId, draft, now);
  } catch (error) {
    if (error instanceof UnknownOutcome) {
      await deps.mailLog.settle(eventId, "unknown", now);
      return "unknown";
    }
    await deps.mailLog.release(eventId);
    throw error;
  }
  await deps.mailLog.settle(eventId, outcome, now);
  return outcome;
}

/** A transport failed after the message may have gone out. */
class UnknownOutcome extends Error {}

async function deliver(deps: Deps & WithMail, eventId: string, draft: Draft, now: Date): Promise<"sent" | "suppressed" | "dropped"> {
  if (await deps.mailSuppressions.isSuppressed(draft.to)) return "suppressed";
  const window = mailWindowAt(now);
  if (!(await deps.mailRate.take(draft.to, window, deps.policy.mailRatePerHour))) {
    const userId = draft.userId ?? (await deps.accounts.findCredentials(draft.to))?.userId;
    await deps.mailRate.drop(draft.to, window, userId ? (count) => suppressionSummary(userId, draft.to, window, count) : undefined);
    return "dropped";
  }
  const from = deps.policy.mailFrom;
  const raw = await composeMail({ from, to: draft.to, subject: draft.subject, text: draft.text, html: draft.html, eventId, date: now });
  try {
    await deps.mailer.send(raw, { from, to: draft.to, eventId, at: now });
  } catch (error) {
    if (!(error instanceof MailNotSentError)) throw new UnknownOutcome("the transport failed without saying whether the mail went", { cause: error });
    await deps.mailRate.giveBack(draft.to, window);
    throw error;
  }
  return "sent";
}
