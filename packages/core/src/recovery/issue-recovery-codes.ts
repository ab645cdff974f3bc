import type { DomainEvent } from "@twofactor/events";
import type { Deps } from "../deps.js";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-code.js";

/** Replaces the user's set with a fresh one and answers the codes, the only time they are seen. */
export async function issueRecoveryCodes(
  deps: Pick<Deps, "recoveryCodes" | "clock">,
  userId: string,
  owed: readonly DomainEvent[],
): Promise<string[]> {
  const codes = newRecoveryCodes();
  await deps.recoveryCodes.replace(userId, codes.map((code) => hashRecoveryCode(userId, code)), deps.clock.now(), owed);
  return codes;
}
