import type { DomainEvent } from "@twofactor/events";
import type { Deps } from "../deps.js";
import { needsSetup } from "../fence/fence.js";
import type { RolloutSegment, SecurityState, Team } from "../ports.js";
import { newEvent } from "../common/events.js";
import { entryOf, flaggedEvent, holdMember } from "./membership.js";
import { memberRanges, segmentsOf } from "./segments.js";

export type RolloutStep = "superseded" | "complete" | "continued" | "lost_race";

/**
 * The enforcement fan-out (the consumer of TeamEnforcementEnabled/Disabled and of its own
 * TeamRolloutContinued). A team's members are split into key-range segments walked at once, each
 * checkpointed on an item of its own; an invocation handles one page of one segment (or of every
 * unfinished segment, for the events that start or resume a rollout), then checkpoints it: its
 * cursor and counts and — in the same conditional write — the page's MemberFlaggedForSetup events
 * and the segment's continuation. The checkpoint is conditioned on the generation and the cursor the
 * page started from, so of two deliveries of the same page exactly one counts, and only it owes the
 * page's events; the member writes are idempotent, so redoing a page changes nothing more. A newer
 * enforcement change bumps the generation, and the older rollout stops at its next page.
 */
export async function continueRollout(deps: Deps, teamId: string, generation: number, segment?: number): Promise<RolloutStep> {
  const [team, stored] = await Promise.all([deps.teams.get(teamId), deps.teams.rolloutSegments(teamId)]);
  if (!team || team.enforcement.generation !== generation) return "superseded";
  if (team.enforcement.rollout.state === "complete") return "complete";
  const segments = segmentsOf(team.enforcement.rollout, generation, stored).filter((s) => segment === undefined || s.index === segment);
  const steps = await Promise.all(segments.map((s) => continueSegment(deps, team, s)));
  for (const step of ["continued", "superseded", "lost_race"] as const) if (steps.includes(step)) return step;
  return "complete";
}

async function continueSegment(deps: Deps, team: Team, segment: RolloutSegment): Promise<RolloutStep> {
  const { id: teamId, enforcement } = team;
  const { generation, enabled, rollout } = enforcement;
  if (segment.done) return completeIfThrough(deps, team);

  const range = memberRanges(rollout.segmentCount)[segment.index];
  const page = await deps.teams.membersAfter(teamId, segment.cursor, deps.policy.rolloutPageSize, range);
  // Enabling, the page's states are read first (reads are cheaper than writes): a member without a
  // factor is then held and flagged in one write.
  const read = enabled ? await deps.memberships.readMany(page.members.map((m) => m.userId)) : new Map<string, SecurityState>();
  const outcomes = await mapLimit(page.members, deps.policy.rolloutConcurrency, async (member) => {
    // The fan-out owes its flags with the checkpoint, not with each member's write.
    const state = await holdMember(deps, member, teamId, generation, enabled, "enforcement", undefined, read.get(member.userId));
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
  const owed: DomainEvent[] = [
    ...page.members.filter((_, i) => outcomes[i]!.flagged).map((m) => flaggedEvent(deps, m.userId, teamId, "enforcement", enforcement.enabledBy ?? "system")),
    ...(page.more ? [newEvent("TeamRolloutContinued", { teamId, generation, segment: segment.index }, { now })] : []),
  ];
  const progress = {
    cursor: page.last ?? segment.cursor,
    done: !page.more,
    processed: page.members.length,
    needingSetup: outcomes.filter((o) => o.needsSetup).length,
  };
  if (!(await deps.teams.checkpoint(teamId, generation, segment.index, segment.cursor, progress, now, owed))) return "lost_race";
  return page.more ? "continued" : completeIfThrough(deps, team);
}

/**
 * A segment that is through reads every segment after its own last write: of segments finishing
 * together, the last to write sees them all through, and completes the rollout with their totals
 * (once: the write is conditional).
 */
async function completeIfThrough(deps: Deps, team: Team): Promise<RolloutStep> {
  const { rollout, generation } = team.enforcement;
  const segments = segmentsOf(rollout, generation, await deps.teams.rolloutSegments(team.id));
  if (!segments.every((s) => s.done)) return "complete";
  const totals = { processed: segments.reduce((n, s) => n + s.processed, 0), needingSetup: segments.reduce((n, s) => n + s.needingSetup, 0) };
  if (await deps.teams.completeRollout(team.id, generation, totals, deps.clock.now())) await deps.teams.unwatchRollout(team.id, generation);
  return "complete";
}

/**
 * Scheduled: a rollout with no checkpoint for `rolloutStallSeconds` (its continuation was
 * dead-lettered, or its consumer kept failing) is sent a continuation for every unfinished segment;
 * a complete or superseded one is no longer watched. Duplicates are harmless: checkpoints are
 * conditional. Answers how many rollouts it resumed.
 */
export async function resumeStalledRollouts(deps: Deps, limit = 100): Promise<number> {
  let resumed = 0;
  const now = deps.clock.now();
  for (const watched of await deps.teams.watchedRollouts(limit)) {
    const [team, stored] = await Promise.all([deps.teams.get(watched.teamId), deps.teams.rolloutSegments(watched.teamId)]);
    if (!team || team.enforcement.generation !== watched.generation || team.enforcement.rollout.state === "complete") {
      await deps.teams.unwatchRollout(watched.teamId, watched.generation);
      continue;
    }
    const { rollout, generation } = team.enforcement;
    const segments = segmentsOf(rollout, generation, stored);
    const last = Math.max(Date.parse(rollout.updatedAt ?? team.createdAt), ...segments.map((s) => Date.parse(s.updatedAt) || 0));
    if (now.getTime() - last < deps.policy.rolloutStallSeconds * 1000) continue;
    if (segments.every((s) => s.done)) {
      await completeIfThrough(deps, team);
      continue;
    }
    const owed = segments.filter((s) => !s.done).map((s) => newEvent("TeamRolloutContinued", { teamId: team.id, generation, segment: s.index }, { now }));
    if (await deps.teams.resumeRollout(team.id, generation, rollout.updatedAt, now, owed)) resumed++;
  }
  return resumed;
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
