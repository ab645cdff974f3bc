import addressparser from "nodemailer/lib/addressparser";
import MailComposer from "nodemailer/lib/mail-composer";

export interface Mail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The event it tells of: it names the message (Message-ID), so a copy is recognisable as such. */
  eventId: string;
  date: Date;
}

/** The bare address of `Name <address>` (or of a bare address). */
export function addressOf(mailbox: string): string {
  const [first] = addressparser(mailbox, { flatten: true });
  if (!first?.address) throw new Error(`not a mail address: ${mailbox}`);
  return first.address;
}

/**
 * The message as RFC 5322 bytes, built once by nodemailer's composer: `multipart/alternative` with
 * a UTF-8 text and an HTML part; what is sent (SES) and what is written (`.eml`) are these bytes.
 * Marked as automatic (RFC 3834), so that auto-responders do not answer it.
 */
export function composeMail(mail: Mail): Promise<Buffer> {
  const domain = addressOf(mail.from).split("@").pop()!;
  return new MailComposer({
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    date: mail.date,
    messageId: `<${mail.eventId}@${domain}>`,
    headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
    // Only the strings given: never a file or a URL read into the message.
    disableFileAccess: true,
    disableUrlAccess: true,
  }).compile().build();
}
