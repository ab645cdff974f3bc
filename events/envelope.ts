import { z } from "zod";

/** EventBridge `source` of every event this system publishes. */
export const SOURCE = "twofactor";

/**
 * Fields every detail carries (API.md, Events). Details never hold a secret, code or token:
 * schemas are strict so that an accidental extra field fails at publication, not in an audit.
 */
export const baseDetail = {
  eventId: z.string().min(1),
  occurredAt: z.iso.datetime(),
  actor: z.string().min(1),
  userId: z.string().min(1).optional(),
  teamId: z.string().min(1).optional(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
};

export const BASE_FIELDS = Object.keys(baseDetail) as (keyof typeof baseDetail)[];

export const secondFactor = z.enum(["totp", "webauthn", "recovery_code"]);
