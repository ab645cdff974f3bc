import { createHash, randomInt } from "node:crypto";
import type { RecoveryCodeSet } from "../ports.js";
import { sha256 } from "../common/tokens.js";

export const RECOVERY_CODES_PER_SET = 10;
/** No 0/o, 1/l/i: nothing a person can misread when typing a code from paper. 31 symbols. */
const ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
const CODE_LENGTH = 10; // ≈ 49.5 bits each

/** A fresh set, formatted `xxxxx-xxxxx` for reading; the hyphen is optional when typed. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODES_PER_SET }, () => {
    const symbols = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
    return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
  });
}

/** Case, blanks and hyphens do not matter when a code is typed back. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

/**
 * The stored form: SHA-256 bound to the user, so equal codes of two users hash apart, cut to its
 * first 96 bits (base64url): far beyond a code's 49.5 bits, and a quarter of the hex digest's room
 * on the item every login writes. Lookup is by hash (a map key), so no comparison of secrets
 * happens in variable time.
 */
export function hashRecoveryCode(userId: string, code: string): string {
  return createHash("sha256").update(bound(userId, code)).digest("base64url").slice(0, 16);
}

/** The key a typed code is stored under in `set`, if it is there unused: its hash, or the whole hex digest sets were stored under before. */
export function unusedRecoveryCodeKey(set: RecoveryCodeSet, userId: string, code: string): string | undefined {
  return [hashRecoveryCode(userId, code), sha256(bound(userId, code))].find((key) => set.codes[key] === false);
}

const bound = (userId: string, code: string) => `${userId}:${normalizeRecoveryCode(code)}`;

export function unusedRecoveryCodes(set: RecoveryCodeSet | undefined): number {
  return set ? Object.values(set.codes).filter((used) => !used).length : 0;
}

export function isRecoveryCodeShape(code: string): boolean {
  return normalizeRecoveryCode(code).length === CODE_LENGTH && [...normalizeRecoveryCode(code)].every((c) => ALPHABET.includes(c));
}
