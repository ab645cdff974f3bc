import * as z from "zod";

/**
 * What Amazon SES publishes about our mails (a configuration set's event destination, on the
 * account's default bus): hard bounces and complaints, the feedback that stops us mailing an
 * address. Not our catalog: SES's own events, of which only the fields read here are checked.
 */
export const SES_SOURCE = "aws.ses";
export const BOUNCED = "Email Bounced";
export const COMPLAINED = "Email Complaint Received";
export const FEEDBACK_TYPES = [BOUNCED, COMPLAINED] as const;

const recipients = z.array(z.object({ emailAddress: z.string().min(3).max(320) })).min(1).max(50);

export const bounce = z.object({
  eventType: z.literal("Bounce"),
  bounce: z.object({
    /** `Permanent` is a hard bounce; `Transient` and `Undetermined` may pass. */
    bounceType: z.enum(["Permanent", "Transient", "Undetermined"]),
    bounceSubType: z.string().max(64),
    bouncedRecipients: recipients,
    timestamp: z.string().max(64),
    feedbackId: z.string().max(256),
  }),
});

export const complaint = z.object({
  eventType: z.literal("Complaint"),
  complaint: z.object({
    complainedRecipients: recipients,
    timestamp: z.string().max(64),
    feedbackId: z.string().max(256),
  }),
});

export type MailFeedback =
  | { kind: "bounce"; permanent: boolean; subType: string; addresses: string[]; at: string; feedbackId: string }
  | { kind: "complaint"; addresses: string[]; at: string; feedbackId: string };

/** Reads one SES feedback event; throws for another detail type or a detail that does not fit. */
export function parseMailFeedback(detailType: string, detail: unknown): MailFeedback {
  if (detailType === BOUNCED) {
    const { bounce: b } = bounce.parse(detail);
    return {
      kind: "bounce", permanent: b.bounceType === "Permanent", subType: b.bounceSubType,
      addresses: b.bouncedRecipients.map((r) => r.emailAddress), at: b.timestamp, feedbackId: b.feedbackId,
    };
  }
  if (detailType === COMPLAINED) {
    const { complaint: c } = complaint.parse(detail);
    return { kind: "complaint", addresses: c.complainedRecipients.map((r) => r.emailAddress), at: c.timestamp, feedbackId: c.feedbackId };
  }
  throw new Error(`not mail feedback: ${detailType}`);
}
