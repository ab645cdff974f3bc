import type { DomainEvent } from "@twofactor/events";
import type { Deps } from "../deps.js";
import type { FlagReason, HoldState, SessionScope } from "../ports.js";
import { newEvent } from "../shared/events.js";
import { needsSetup } from "./views.js";

type HoldDeps = Pick<Deps, "holds" | "sessions" | "clock">;

export interface HoldOutcome {
  /** False when a newer enforcement change already stands for this member: this one is superseded. */
  current: boolean;
  needsSetup: boolean;
  /** Who flagged the member under this generation (this call or an earlier one). */
  flaggedBy?: FlagReason;
}

/**
 * Holds a member to the team's enforcement at `generation` and, when they have no factor, flags
 * them for setup and narrows their live sessions to setup ("held to setup from the next request").
 * Idempotent: the hold and the flag are conditional writes, so a repeat finds them done and only
 * re-narrows. `owe` gives the MemberFlaggedForSetup events to write with the flag (none when the
 * caller owes them elsewhere, as the fan-out does with its checkpoint).
 */
export async function holdMember(
  deps: HoldDeps,
  userId: string,
  teamId: string,
  generation: number,
  reason: FlagReason,
  owe: (reason: FlagReason) => DomainEvent[],
): Promise<HoldOutcome> {
  let state = await deps.holds.hold(userId, teamId, generation, true, { reason, owed: owe(reason) });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (state.generation > generation) return { current: false, needsSetup: false };
    if (state.twoFactorEnabled) return { current: true, needsSetup: false };
    if (state.flaggedBy) break;
    if (await deps.holds.flag(userId, teamId, generation, reason, state.factorsVersion, owe(reason))) {
      state = { ...state, flaggedBy: reason };
      break;
    }
    // The factors or the hold changed meanwhile (an activation, a newer change): decide again.
    state = await deps.holds.read(userId, teamId);
  }
  if (!state.flaggedBy) return { current: state.generation === generation, needsSetup: needsSetup(state) };
  await rescopeSessions(deps, userId, "full", "setup");
  return { current: true, needsSetup: true, flaggedBy: state.flaggedBy };
}

/**
 * Releases the team's hold at `generation` (enforcement off, or the member left); when no other
 * team holds the member any more, their setup sessions become full ones again.
 */
export async function releaseMember(deps: HoldDeps, userId: string, teamId: string, generation: number): Promise<HoldState> {
  const state = await deps.holds.hold(userId, teamId, generation, false);
  if (state.generation === generation && state.enforcedBy.length === 0) await rescopeSessions(deps, userId, "setup", "full");
  return state;
}

/** The member's live sessions of scope `from` get scope `to`. */
export async function rescopeSessions(deps: Pick<Deps, "sessions" | "clock">, userId: string, from: SessionScope, to: SessionScope): Promise<void> {
  const sessions = await deps.sessions.listLive(userId, deps.clock.now());
  await Promise.all(sessions.filter((s) => s.scope === from).map((s) => deps.sessions.rescope(s, to)));
}

/** The event a flag owes, for callers that write it with the flag. */
export function flaggedEvent(deps: Pick<Deps, "clock">, userId: string, teamId: string, reason: FlagReason, actor?: string): DomainEvent {
  return newEvent("MemberFlaggedForSetup", { userId, teamId, reason, actor: actor ?? "system" }, { now: deps.clock.now() });
}
