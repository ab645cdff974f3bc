import * as z from "zod";

/** EventBridge `source` of every event this system publishes. */
export const SOURCE = "twofactor";

/**
 * Characters as docs/api.md counts them: Unicode code points (of NFC text, where the text is a name), not
 * UTF-16 code units, so an emoji outside the BMP counts once, as a person reads it. Grapheme clusters
 * would be closer still, but depend on the Unicode tables of the runtime; code points do not, and
 * are what JSON Schema's `maxLength` counts.
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** A string of at most `max` characters (code points). */
export const textOfAtMost = (max: number) =>
  z.string().refine((text) => characterCount(text) <= max, `At most ${max} characters.`);

/** docs/api.md: what a client says about itself (the user agent) is stored cut to this many characters. */
export const MAX_USER_AGENT_CHARS = 512;
/** An IP address in text: 45 characters is the longest IPv6 form; a zone id may add a little. */
export const MAX_IP_CHARS = 64;

/**
 * Fields every detail carries (docs/api.md, Events). Details never hold a secret, code or token:
 * schemas are strict so that an accidental extra field fails at publication, not in an audit.
 */
export const baseDetail = {
  eventId: z.string().min(1),
  occurredAt: z.iso.datetime(),
  actor: z.string().min(1),
  userId: z.string().min(1).optional(),
  teamId: z.string().min(1).optional(),
  // Bounded here as well as where the request context is built, so that nothing longer slips into an event.
  ip: z.string().max(MAX_IP_CHARS).optional(),
  userAgent: textOfAtMost(MAX_USER_AGENT_CHARS).optional(),
};

export const BASE_FIELDS = Object.keys(baseDetail) as (keyof typeof baseDetail)[];

export const secondFactor = z.enum(["totp", "webauthn", "recovery_code"]);
