import type { DomainEvent } from "@twofactor/events";
import type { Deps, RequestContext } from "../deps.js";
import { readAccount } from "../accounts/load-account.js";
import { assertMayCheck, budgetFor, countWrong, refused } from "../attempts/attempt-budget.js";
import { ChallengeNotFoundError, FactorsChangedError, InvalidAssertionError, InvalidCodeError } from "../errors.js";
import { waitingReset } from "../fence/fence.js";
import type { Account, Claim, FactorChange, FactorEffect } from "../ports.js";
import { newEvent } from "../common/events.js";

export type ProvenMethod = "totp" | "recovery_code" | "webauthn";

/** A second factor presented by the caller: how to check it, and what a right one claims. */
export interface Presented {
  method: ProvenMethod;
  /** Checks the secret; the claim that a right one makes, or undefined for a wrong one. */
  verify(): Promise<Claim | undefined>;
}

type ProofDeps = Pick<Deps, "accounts" | "attempts" | "networks" | "factors" | "credentials" | "clock" | "policy">;

export interface ProofOptions {
  /** The login challenge (id hash) the proof completes: its write removes it, or loses (404) when it is gone. */
  challenge?: string;
  /**
   * The factor proved is one being enrolled (an activation), not one the user already had: it
   * cancels no pending reset. When it turns 2FA on, `turnsOnFor` is the session that does it.
   */
  enrolling?: { turnsOnFor?: string };
  /** The caller's network budget, read beside the account (readNetworkBudget); read here when not given. */
  network?: Promise<number>;
}

/**
 * The one protocol every second-factor check follows — at a login challenge, at activation, at
 * `DELETE /v1/me/totp`, at regeneration and at reauthentication:
 * refuse early while locked; check the secret; a wrong one is counted (or refused) by
 * `countWrong`; a right one's claim, the budget's condition, the end of the failure run and the
 * `effect` it proves (and, at a login, the use of its challenge) are one conditional write
 * (SecondFactors.apply), owing `owed` with it. The write is fenced: it loses if the epoch moved
 * since the read, or a reset took effect. A proof of a factor the user had cancels their pending
 * reset in that same write (TwoFactorResetCancelled): whoever can still prove one has not lost it.
 * A right TOTP code whose step was already used, or a recovery code already spent (a double-click,
 * or a regeneration that replaced its set meanwhile), answers 401 without counting: it is no guess.
 */
export async function proveAndApply(
  deps: ProofDeps,
  account: Account,
  presented: Presented,
  effect: FactorEffect,
  owed: (claim: Claim) => DomainEvent[],
  context: RequestContext,
  options: ProofOptions = {},
): Promise<Claim> {
  const userId = account.profile.id;
  await assertMayCheck(deps, account, "second_factor", context, options.network);
  const claim = await presented.verify();
  const wrong = presented.method === "webauthn" ? new InvalidAssertionError() : new InvalidCodeError();
  if (!claim) {
    await countWrong(deps, userId, "second_factor", presented.method, context);
    throw wrong;
  }
  // A reset requested or cancelled between the read and the write: decide again on the state as it is.
  let current = account;
  for (let attempt = 0; ; attempt++) {
    const { change, events } = proofChange(deps, current, claim, effect, context, options);
    const result = await deps.factors.apply(userId, change, budgetFor(deps.policy, "second_factor"), [...owed(claim), ...events]);
    if (result === "applied") return claim;
    if (result === "locked") throw await refused(deps, userId, "second_factor", context);
    if (result === "claim_used") throw wrong;
    if (result === "challenge_used") throw new ChallengeNotFoundError();
    const reread = result === "reset_changed" && attempt === 0 ? await readAccount(deps, userId) : undefined;
    if (!reread || reread.epoch !== account.epoch || reread.factorsVersion !== account.factorsVersion) {
      throw options.challenge ? new ChallengeNotFoundError() : new FactorsChangedError();
    }
    current = reread;
  }
}

/** The fenced write of a right proof, and the cancellation it owes when it cancels a pending reset. */
function proofChange(
  deps: Pick<Deps, "clock">,
  account: Account,
  claim: Claim,
  effect: FactorEffect,
  context: RequestContext,
  options: ProofOptions,
): { change: FactorChange; events: DomainEvent[] } {
  const at = deps.clock.now();
  const reset = options.enrolling ? undefined : waitingReset(account, at);
  const change: FactorChange = {
    claim, effect, at, expectedEpoch: account.epoch,
    ...(options.challenge ? { challenge: options.challenge } : {}),
    ...(effect.kind === "none" ? {} : { expectedVersion: account.factorsVersion, expectedHolds: account.holdsVersion }),
    ...(options.enrolling?.turnsOnFor ? { turnsOnFor: options.enrolling.turnsOnFor } : {}),
    ...(reset ? { cancelsReset: reset.id } : {}),
  };
  const userId = account.profile.id;
  const events = reset
    ? [newEvent("TwoFactorResetCancelled", { userId, teamId: reset.teamId, resetId: reset.id, reason: "proved_factor" }, { ...context, now: at })]
    : [];
  return { change, events };
}

/**
 * A change that needs no proof of its own (the session's recent authentication stands for it),
 * fenced like a proof. When it turns 2FA on, `turnsOnFor` is the session that does it.
 */
export async function applyUnproven(
  deps: Pick<Deps, "factors" | "clock" | "policy">,
  account: Account,
  effect: FactorEffect,
  owed: DomainEvent[],
  turnsOnFor?: string,
): Promise<void> {
  const change: FactorChange = {
    claim: { kind: "none" }, effect, at: deps.clock.now(), expectedEpoch: account.epoch,
    expectedVersion: account.factorsVersion, expectedHolds: account.holdsVersion,
    ...(turnsOnFor ? { turnsOnFor } : {}),
  };
  const result = await deps.factors.apply(account.profile.id, change, budgetFor(deps.policy, "second_factor"), owed);
  if (result !== "applied") throw new FactorsChangedError();
}
