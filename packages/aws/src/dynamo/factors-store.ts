import type { DomainEvent } from "@twofactor/events";
import {
  TotpAlreadyEnabledError, type Budget, type ChangeResult, type Claim, type FactorChange, type FactorEffect, type PendingReset,
  type ResetTarget, type SecondFactors, type SecurityKey,
} from "@twofactor/core";
import { budgetOpen } from "./budget-condition.js";
import { CHALLENGE_ATTRIBUTE_PREFIX } from "./challenges-store.js";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import { holdsSealed, toStoredSealed } from "./sealed-secret.js";
import { equalsOrAbsent, KEY_ATTRIBUTE_PREFIX, TEAM_ATTRIBUTE_PREFIX, type StoredReset } from "./security-state.js";
import { epochSeconds, type Item, type Table, type UpdateSpec } from "./table.js";

export { KEY_ATTRIBUTE_PREFIX };

/**
 * The FACTORS item: the authenticator app (status, sealed secret, last used step), the recovery set
 * (code hash → used), the security keys with their counters, the second-factor attempt budget
 * (failures, lockedUntil, lastFailureAt), `factorsVersion`, the `epoch` and a pending reset.
 * Because they share one item, a right answer's claim, the budget's condition, the end of the
 * failure run, the change the answer proves and the fence it must respect are one conditional
 * UpdateItem — no read-then-write, no cross-item gap.
 */
export class FactorsStore implements SecondFactors {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async savePendingTotp(userId: string, sealedSecret: string): Promise<void> {
    const saved = await this.outbox.write(keys.factors(userId), {
      set: { totpStatus: "pending", totpSecret: toStoredSealed(sealedSecret) },
      condition: "attribute_not_exists(totpStatus) OR totpStatus <> :active",
      values: { ":active": "active" },
    }, []);
    if (!saved) throw new TotpAlreadyEnabledError();
  }

  async apply(userId: string, change: FactorChange, budget: Budget, owed: readonly DomainEvent[]): Promise<ChangeResult> {
    const spec = merge(
      claimSpec(change), budgetSpec(change.claim, budget, change.at), effectSpec(change.effect, change.at), versionSpec(change), holdsSpec(change),
      challengeSpec(change), epochSpec(change), resetSpec(change),
    );
    if (await this.outbox.write(keys.factors(userId), spec, owed)) return "applied";
    return classify(await this.table.get(keys.factors(userId)), change, budget);
  }

  async requestReset(userId: string, reset: PendingReset, owed: readonly DomainEvent[]): Promise<"requested" | "pending" | "not_member"> {
    const stored: StoredReset = { ...reset, due: epochSeconds(reset.effectiveAt) };
    const written = await this.outbox.write(keys.factors(userId), {
      set: { pendingReset: stored },
      condition: "attribute_not_exists(pendingReset) AND #team.joinedAt = :joinedAt",
      names: { "#team": TEAM_ATTRIBUTE_PREFIX + reset.teamId },
      values: { ":joinedAt": reset.joinedAt },
    }, owed);
    if (written) return "requested";
    const item = await this.table.get(keys.factors(userId));
    return item?.pendingReset ? "pending" : "not_member";
  }

  async takeEffect(userId: string, target: ResetTarget, at: Date, owed: readonly DomainEvent[]): Promise<boolean> {
    const { reset } = target;
    const version = equalsOrAbsent("factorsVersion", ":version", target.factorsVersion);
    const epoch = equalsOrAbsent("epoch", ":epoch", target.epoch);
    const written = await this.outbox.write(keys.factors(userId), {
      set: { totpStatus: "disabled", totpDisabledAt: at.toISOString(), recoveryCodes: {}, epoch: target.epoch + 1 },
      add: { factorsVersion: 1 },
      remove: [
        "totpSecret", "pendingReset", "epochKeep",
        ...target.keyIds.map((id) => KEY_ATTRIBUTE_PREFIX + id),
        ...target.challengeHashes.map((hash) => CHALLENGE_ATTRIBUTE_PREFIX + hash),
      ],
      condition: `pendingReset.id = :reset AND pendingReset.due <= :now AND #team.joinedAt = :joinedAt AND ${version.condition} AND ${epoch.condition}`,
      names: { "#team": TEAM_ATTRIBUTE_PREFIX + reset.teamId },
      values: { ":reset": reset.id, ":now": epochSeconds(at), ":joinedAt": reset.joinedAt, ...version.values, ...epoch.values },
    }, owed);
    return written !== undefined;
  }

  async renameKey(userId: string, keyId: string, name: string): Promise<SecurityKey | undefined> {
    const item = await this.table.update(keys.factors(userId), {
      setPaths: ["#key.#name = :name"],
      condition: "attribute_exists(#key)",
      names: { "#key": KEY_ATTRIBUTE_PREFIX + keyId, "#name": "name" },
      values: { ":name": name },
    });
    return item ? toSecurityKey(keyId, item[KEY_ATTRIBUTE_PREFIX + keyId] as Item) : undefined;
  }

  async reportClone(userId: string, keyId: string, at: Date, owed: readonly DomainEvent[]): Promise<void> {
    await this.outbox.write(keys.factors(userId), {
      setPaths: ["#key.cloneDetectedAt = :at"],
      condition: "attribute_exists(#key)",
      names: { "#key": KEY_ATTRIBUTE_PREFIX + keyId },
      values: { ":at": at.toISOString() },
    }, owed);
  }
}

/** What the claim asserts (it was not used yet) and records (it is used now). */
function claimSpec(change: FactorChange): UpdateSpec {
  const { claim, effect } = change;
  switch (claim.kind) {
    case "totp_step": {
      const sealed = effect.kind === "activate_totp" ? holdsSealed("totpSecret", ":sealed", effect.sealedSecret) : undefined;
      const status = sealed
        ? { condition: `totpStatus = :pending AND ${sealed.condition}`, values: { ":pending": "pending", ...sealed.values } }
        : { condition: "totpStatus = :active", values: { ":active": "active" } };
      return {
        set: { lastUsedStep: claim.step },
        condition: `${status.condition} AND (attribute_not_exists(lastUsedStep) OR lastUsedStep < :step)`,
        values: { ...status.values, ":step": claim.step },
      };
    }
    case "recovery_code":
      // When the change replaces or clears the set, the used code goes with it (and DynamoDB refuses
      // two updates of overlapping paths in one expression).
      return replacesRecoveryCodes(effect)
        ? { condition: "recoveryCodes.#code = :unused", names: { "#code": claim.hash }, values: { ":unused": false } }
        : {
          setPaths: ["recoveryCodes.#code = :used"],
          condition: "recoveryCodes.#code = :unused",
          names: { "#code": claim.hash },
          values: { ":used": true, ":unused": false },
        };
    case "key_counter":
      // It must rise, or stay 0 for an authenticator that keeps no counter.
      return {
        setPaths: ["#claimKey.#counter = :counter", "#claimKey.lastUsedAt = :claimAt"],
        condition: claim.counter > 0 ? "#claimKey.#counter < :counter" : "#claimKey.#counter = :counter",
        names: { "#claimKey": KEY_ATTRIBUTE_PREFIX + claim.keyId, "#counter": "counter" },
        values: { ":counter": claim.counter, ":claimAt": change.at.toISOString() },
      };
    case "none":
      return {};
  }
}

function replacesRecoveryCodes(effect: FactorEffect): boolean {
  return effect.kind === "replace_recovery_codes" || effect.kind === "activate_totp"
    || (effect.kind === "add_key" && effect.recoveryCodeHashes !== undefined)
    || ((effect.kind === "disable_totp" || effect.kind === "remove_key") && effect.clearRecoveryCodes);
}

/** A claim is a check: it needs the budget open, and its success ends the run of failures. */
function budgetSpec(claim: Claim, budget: Budget, now: Date): UpdateSpec {
  if (claim.kind === "none") return {};
  return { set: { failures: 0 }, ...budgetOpen(budget, now) };
}

function effectSpec(effect: FactorEffect, at: Date): UpdateSpec {
  const recoverySet = (hashes: readonly string[]) => ({
    recoveryCodes: Object.fromEntries(hashes.map((hash) => [hash, false])),
    recoveryGeneratedAt: at.toISOString(),
  });
  const cleared = { recoveryCodes: {} };
  switch (effect.kind) {
    case "none":
      return {};
    case "activate_totp":
      return {
        set: { totpStatus: "active", totpActivatedAt: at.toISOString(), ...recoverySet(effect.recoveryCodeHashes) },
        // Written by enrollments before nothing read it: it leaves the item that every login writes.
        remove: ["totpEnrolledAt"],
      };
    case "disable_totp":
      return {
        set: { totpStatus: "disabled", totpDisabledAt: at.toISOString(), ...(effect.clearRecoveryCodes ? cleared : {}) },
        remove: ["totpSecret"],
      };
    case "replace_recovery_codes":
      return { set: recoverySet(effect.recoveryCodeHashes) };
    case "add_key": {
      const { id, ...key } = effect.key;
      return {
        set: { [KEY_ATTRIBUTE_PREFIX + id]: key, ...(effect.recoveryCodeHashes ? recoverySet(effect.recoveryCodeHashes) : {}) },
        condition: "attribute_not_exists(#newKey)",
        names: { "#newKey": KEY_ATTRIBUTE_PREFIX + id },
      };
    }
    case "remove_key":
      return {
        remove: [KEY_ATTRIBUTE_PREFIX + effect.keyId],
        set: effect.clearRecoveryCodes ? cleared : {},
        condition: "attribute_exists(#oldKey)",
        names: { "#oldKey": KEY_ATTRIBUTE_PREFIX + effect.keyId },
      };
  }
}

/** A change of the factors bumps the version, and requires the version it was decided on. */
function versionSpec(change: FactorChange): UpdateSpec {
  if (change.effect.kind === "none") return {};
  return { add: { factorsVersion: 1 }, ...equalsOrAbsent("factorsVersion", ":version", change.expectedVersion ?? 0) };
}

/**
 * The fence: every change requires the epoch it was decided on, and one that turns 2FA on moves it,
 * keeping only the session that made it — so every other session, and every login that read the
 * state before this write, ends with it.
 */
function epochSpec(change: FactorChange): UpdateSpec {
  const expected = equalsOrAbsent("epoch", ":epoch", change.expectedEpoch);
  if (!change.turnsOnFor) return expected;
  return { ...expected, set: { epoch: change.expectedEpoch + 1, epochKeep: change.turnsOnFor } };
}

/**
 * No change is made once a reset has taken effect (its time has come, even if nothing has written
 * it yet). A proof that saw a pending reset cancels that very reset in the same write.
 */
function resetSpec(change: FactorChange): UpdateSpec {
  const now = { ":resetNow": epochSeconds(change.at) };
  if (change.cancelsReset) {
    return {
      remove: ["pendingReset"],
      condition: "pendingReset.id = :cancels AND pendingReset.due > :resetNow",
      values: { ":cancels": change.cancelsReset, ...now },
    };
  }
  return { condition: "attribute_not_exists(pendingReset) OR pendingReset.due > :resetNow", values: now };
}

/** A change that leaves no factor was decided on the holds as read (no team enforced): they must be unchanged. */
function holdsSpec(change: FactorChange): UpdateSpec {
  const { effect, expectedHolds } = change;
  const leavesNoFactor = (effect.kind === "disable_totp" || effect.kind === "remove_key") && effect.clearRecoveryCodes;
  if (!leavesNoFactor || expectedHolds === undefined) return {};
  return expectedHolds === 0
    ? { condition: "attribute_not_exists(holdsVersion)" }
    : { condition: "holdsVersion = :holds", values: { ":holds": expectedHolds } };
}

/** The login challenge the proof completes: live at the write, and gone after it (its single use). */
function challengeSpec(change: FactorChange): UpdateSpec {
  if (change.challenge === undefined) return {};
  return {
    remove: [CHALLENGE_ATTRIBUTE_PREFIX + change.challenge],
    condition: "#challenge.expiresAt > :challengeNow",
    names: { "#challenge": CHALLENGE_ATTRIBUTE_PREFIX + change.challenge },
    values: { ":challengeNow": epochSeconds(change.at) },
  };
}

function merge(...specs: UpdateSpec[]): UpdateSpec {
  const conditions = specs.map((s) => s.condition).filter(Boolean);
  return {
    set: Object.assign({}, ...specs.map((s) => s.set)),
    add: Object.assign({}, ...specs.map((s) => s.add)),
    remove: specs.flatMap((s) => s.remove ?? []),
    setPaths: specs.flatMap((s) => s.setPaths ?? []),
    names: Object.assign({}, ...specs.map((s) => s.names)),
    values: Object.assign({}, ...specs.map((s) => s.values)),
    ...(conditions.length ? { condition: conditions.map((c) => `(${c})`).join(" AND ") } : {}),
  };
}

/**
 * Why the write's condition failed, from the item as it is now: the budget first (a locked
 * account answers 429 whatever was presented), then the claim (already used: a double-click is a
 * 401 whether or not its challenge is gone too), then the login challenge (used or expired), then a
 * reset requested, cancelled or come due since the read, else the factors changed.
 */
function classify(item: Item | undefined, change: FactorChange, budget: Budget): ChangeResult {
  const { claim } = change;
  if (claim.kind !== "none") {
    const lockedUntil = item?.lockedUntil as number | undefined;
    if ((lockedUntil !== undefined && lockedUntil > change.at.getTime()) || ((item?.failures as number | undefined) ?? 0) >= budget.maxFailures) {
      return "locked";
    }
    if (claimUsed(item, claim)) return "claim_used";
  }
  if (change.challenge !== undefined && !challengeLive(item, change.challenge, change.at)) return "challenge_used";
  if (resetChanged(item, change)) return "reset_changed";
  return "conflict";
}

function resetChanged(item: Item | undefined, change: FactorChange): boolean {
  const stored = item?.pendingReset as StoredReset | undefined;
  if (change.cancelsReset) return stored?.id !== change.cancelsReset || stored.due <= epochSeconds(change.at);
  return stored !== undefined && stored.due <= epochSeconds(change.at);
}

function challengeLive(item: Item | undefined, idHash: string, at: Date): boolean {
  const expiresAt = (item?.[CHALLENGE_ATTRIBUTE_PREFIX + idHash] as Item | undefined)?.expiresAt as number | undefined;
  return expiresAt !== undefined && expiresAt > epochSeconds(at);
}

function claimUsed(item: Item | undefined, claim: Claim): boolean {
  switch (claim.kind) {
    case "totp_step":
      return typeof item?.lastUsedStep === "number" && item.lastUsedStep >= claim.step;
    case "recovery_code":
      return (item?.recoveryCodes as Record<string, boolean> | undefined)?.[claim.hash] !== false;
    case "key_counter": {
      const counter = (item?.[KEY_ATTRIBUTE_PREFIX + claim.keyId] as Item | undefined)?.counter as number | undefined;
      return counter === undefined || (claim.counter > 0 ? counter >= claim.counter : counter !== 0);
    }
    case "none":
      return false;
  }
}

/** A stored key as the domain sees it. */
export function toSecurityKey(id: string, stored: Item): SecurityKey {
  return {
    id,
    publicKey: stored.publicKey as string,
    counter: (stored.counter as number | undefined) ?? 0,
    transports: (stored.transports as string[] | undefined) ?? [],
    aaguid: (stored.aaguid as string | undefined) ?? "",
    backedUp: stored.backedUp === true,
    name: stored.name as string,
    createdAt: stored.createdAt as string,
    lastUsedAt: (stored.lastUsedAt as string | null | undefined) ?? null,
    ...(stored.cloneDetectedAt ? { cloneDetectedAt: stored.cloneDetectedAt as string } : {}),
  };
}
