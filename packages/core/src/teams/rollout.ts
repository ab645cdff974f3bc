import type { DomainEvent } from "@twofactor/events";
import type { Deps } from "../deps.js";
import { needsSetup } from "../fence/fence.js";
import type { Rollout } from "../ports.js";
import { newEvent } from "../common/events.js";
import { entryOf, flaggedEvent, holdMember } from "./membership.js";

export type RolloutStep = "superseded" | "complete" | "continued" | "lost_race";

/**
 * One page of the enforcement fan-out (the consumer of TeamEnforcementEnabled/Disabled and of its
 * own TeamRolloutContinued). It reads where the rollout stands on the team item, handles at most
 * `rolloutPageSize` members after that cursor, then checkpoints: the counts, the new cursor and —
 * in the same conditional write — the MemberFlaggedForSetup events of the page and the
 * continuation event. The checkpoint is conditioned on the generation and the cursor the page
 * started from, so of two deliveries of the same page (a duplicate event, a retry after a crash
 * between the members and the checkpoint) exactly one counts, and only it owes the page's events.
 * The member writes themselves are idempotent, so redoing a page changes nothing more. A newer
 * enforcement change bumps the generation, and the older rollout stops at its next page.
 */
export async function continueRollout(deps: Deps, teamId: string, generation: number): Promise<RolloutStep> {
  const team = await deps.teams.get(teamId);
  if (!team || team.enforcement.generation !== generation) return "superseded";
  const { rollout, enabled } = team.enforcement;
  if (rollout.state === "complete") return "complete";

  const page = await deps.teams.membersAfter(teamId, rollout.cursor, deps.policy.rolloutPageSize);
  const outcomes = await mapLimit(page.members, deps.policy.rolloutConcurrency, async (member) => {
    // The fan-out owes its flags with the checkpoint, not with each member's write.
    const state = await holdMember(deps, member, teamId, generation, enabled, "enforcement", undefined);
    const entry = state && entryOf(state, teamId);
    // A membership that is gone (the member left meanwhile) is nobody this rollout holds.
    if (!state || !entry) return { current: true, needsSetup: false, flagged: false };
    return {
      current: entry.generation <= generation,
      needsSetup: enabled && entry.generation === generation && needsSetup(state),
      flagged: enabled && entry.generation === generation && entry.flaggedBy === "enforcement",
    };
  });
  if (outcomes.some((o) => !o.current)) return "superseded";

  const now = deps.clock.now();
  const processed = rollout.membersProcessed + page.members.length;
  const next: Rollout = {
    state: page.more ? "running" : "complete",
    membersProcessed: processed,
    membersNeedingSetup: rollout.membersNeedingSetup + outcomes.filter((o) => o.needsSetup).length,
    membersTotal: page.more ? Math.max(rollout.membersTotal, processed) : processed,
    completedAt: page.more ? null : now.toISOString(),
    cursor: page.last ?? rollout.cursor,
  };
  const owed: DomainEvent[] = [
    ...page.members.filter((_, i) => outcomes[i]!.flagged).map((m) => flaggedEvent(deps, m.userId, teamId, "enforcement", team.enforcement.enabledBy ?? "system")),
    ...(page.more ? [newEvent("TeamRolloutContinued", { teamId, generation }, { now })] : []),
  ];
  if (!(await deps.teams.checkpoint(teamId, generation, rollout.cursor, next, owed))) return "lost_race";
  return page.more ? "continued" : "complete";
}

/** Runs `work` over `items`, at most `limit` at a time, answering in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
