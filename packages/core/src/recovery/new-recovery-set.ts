import { hashRecoveryCode, newRecoveryCodes } from "./recovery-code.js";

/** A fresh set: the codes to show once, and the hashes to store. */
export function newRecoverySet(userId: string): { codes: string[]; hashes: string[] } {
  const codes = newRecoveryCodes();
  return { codes, hashes: codes.map((code) => hashRecoveryCode(userId, code)) };
}
