import type { MemberRange, Rollout, RolloutSegment } from "../ports.js";

/** The characters of a user id after `usr_` (base64url), in the order the table sorts them. */
const ID_ALPHABET = [..."-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"];
const USER_ID_PREFIX = "usr_";

/**
 * `count` contiguous user-id ranges that cover every id: user ids are random after their prefix, so
 * each range holds about as many members as the others. The first range is open below and the last
 * above, so an id of any other shape still belongs to exactly one.
 */
export function memberRanges(count: number): MemberRange[] {
  const starts = Array.from({ length: count }, (_, i) => (i === 0 ? null : USER_ID_PREFIX + ID_ALPHABET[Math.floor((i * ID_ALPHABET.length) / count)]!));
  return starts.map((from, i) => ({ from, to: starts[i + 1] ?? null }));
}

/** Each segment of the rollout of `generation` as it stands: one not started yet is at the beginning. */
export function segmentsOf(rollout: Rollout, generation: number, stored: readonly RolloutSegment[]): RolloutSegment[] {
  return Array.from({ length: rollout.segmentCount }, (_, index) =>
    stored.find((s) => s.index === index && s.generation === generation)
      ?? { index, generation, cursor: null, done: false, processed: 0, needingSetup: 0, updatedAt: rollout.updatedAt ?? "" });
}

/** The rollout with its segments' counts: while it runs, the team item holds none of them. */
export function withProgress(rollout: Rollout, segments: readonly RolloutSegment[]): Rollout {
  if (rollout.state === "complete") return rollout;
  const started = segments.some((s) => s.processed > 0 || s.done);
  return {
    ...rollout,
    state: started ? "running" : rollout.state,
    membersProcessed: segments.reduce((sum, s) => sum + s.processed, 0),
    membersNeedingSetup: segments.reduce((sum, s) => sum + s.needingSetup, 0),
  };
}
