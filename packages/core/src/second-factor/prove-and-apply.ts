import type { DomainEvent } from "@twofactor/events";
import type { Deps, RequestContext } from "../deps.js";
import { assertMayCheck, budgetFor, countWrong, refused } from "../attempts/attempt-budget.js";
import { ChallengeNotFoundError, FactorsChangedError, InvalidAssertionError, InvalidCodeError } from "../errors.js";
import type { Account, Claim, FactorEffect } from "../ports.js";

export type ProvenMethod = "totp" | "recovery_code" | "webauthn";

/** A second factor presented by the caller: how to check it, and what a right one claims. */
export interface Presented {
  method: ProvenMethod;
  /** Checks the secret; the claim that a right one makes, or undefined for a wrong one. */
  verify(): Promise<Claim | undefined>;
}

type ProofDeps = Pick<Deps, "attempts" | "networks" | "factors" | "clock" | "policy">;

export interface ProofOptions {
  /** Runs once the factor is verified, before its write (what must precede the change it proves). */
  beforeWrite?: () => Promise<void>;
  /** The login challenge (id hash) the proof completes: its write removes it, or loses (404) when it is gone. */
  challenge?: string;
}

/**
 * The one protocol every second-factor check follows — at a login challenge, at activation, at
 * `DELETE /v1/me/totp`, at regeneration and at reauthentication:
 * refuse early while locked; check the secret; a wrong one is counted (or refused) by
 * `countWrong`; a right one's claim, the budget's condition, the end of the failure run and the
 * `effect` it proves (and, at a login, the use of its challenge) are one conditional write
 * (SecondFactors.apply), owing `owed` with it.
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
  await assertMayCheck(deps, account, "second_factor", context);
  const claim = await presented.verify();
  const wrong = presented.method === "webauthn" ? new InvalidAssertionError() : new InvalidCodeError();
  if (!claim) {
    await countWrong(deps, userId, "second_factor", presented.method, context);
    throw wrong;
  }
  await options.beforeWrite?.();
  const change = {
    claim, effect, at: deps.clock.now(),
    ...(options.challenge ? { challenge: options.challenge } : {}),
    ...(effect.kind === "none" ? {} : { expectedVersion: account.factorsVersion, expectedHolds: account.holdsVersion }),
  };
  const result = await deps.factors.apply(userId, change, budgetFor(deps.policy, "second_factor"), owed(claim));
  if (result === "locked") throw await refused(deps, userId, "second_factor", context);
  if (result === "claim_used") throw wrong;
  if (result === "challenge_used") throw new ChallengeNotFoundError();
  if (result === "conflict") throw new FactorsChangedError();
  return claim;
}

/** A change that needs no proof of its own (the session's recent authentication stands for it). */
export async function applyUnproven(
  deps: ProofDeps,
  account: Account,
  effect: FactorEffect,
  owed: DomainEvent[],
): Promise<void> {
  const change = { claim: { kind: "none" } as const, effect, at: deps.clock.now(), expectedVersion: account.factorsVersion, expectedHolds: account.holdsVersion };
  const result = await deps.factors.apply(account.profile.id, change, budgetFor(deps.policy, "second_factor"), owed);
  if (result !== "applied") throw new FactorsChangedError();
}
