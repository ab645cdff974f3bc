import type { PendingReset, SecurityState, TeamEntry } from "@twofactor/core";
import type { Item } from "./table.js";

/** Each security key is a top-level map attribute `key:<credentialId>`, so adding one needs no parent map. */
export const KEY_ATTRIBUTE_PREFIX = "key:";
/** Each membership is a top-level map attribute `team:<teamId>` = {role, joinedAt, g, on, pending?, flagged?}. */
export const TEAM_ATTRIBUTE_PREFIX = "team:";

interface StoredEntry {
  role: TeamEntry["role"];
  joinedAt: string;
  g?: number;
  on?: boolean;
  pending?: boolean;
  flagged?: TeamEntry["flaggedBy"];
}

/** A pending reset as stored: `due` (epoch seconds) is what write conditions compare. */
export interface StoredReset extends PendingReset {
  due: number;
}

/** The security state on a FACTORS item (none yet: the state of a new user). */
export function toSecurityState(item: Item | undefined): SecurityState {
  const teams = Object.entries(item ?? {})
    .filter(([name]) => name.startsWith(TEAM_ATTRIBUTE_PREFIX))
    .map(([name, value]) => toTeamEntry(name.slice(TEAM_ATTRIBUTE_PREFIX.length), value as StoredEntry))
    .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
  const stored = item?.pendingReset as StoredReset | undefined;
  return {
    epoch: (item?.epoch as number | undefined) ?? 0,
    ...(item?.epochKeep ? { epochKeep: item.epochKeep as string } : {}),
    factorsVersion: (item?.factorsVersion as number | undefined) ?? 0,
    holdsVersion: (item?.holdsVersion as number | undefined) ?? 0,
    hasFactor: item?.totpStatus === "active" || Object.keys(item ?? {}).some((name) => name.startsWith(KEY_ATTRIBUTE_PREFIX)),
    teams,
    enforcedBy: teams.filter((team) => team.enforcing || team.pending).map((team) => team.teamId).sort(),
    ...(stored ? { pendingReset: toPendingReset(stored) } : {}),
  };
}

function toTeamEntry(teamId: string, stored: StoredEntry): TeamEntry {
  return {
    teamId,
    role: stored.role,
    joinedAt: stored.joinedAt,
    generation: stored.g ?? 0,
    enforcing: stored.on === true,
    pending: stored.pending === true,
    ...(stored.flagged ? { flaggedBy: stored.flagged } : {}),
  };
}

function toPendingReset(stored: StoredReset): PendingReset {
  const { id, teamId, joinedAt, requestedBy, requestedAt, effectiveAt } = stored;
  return { id, teamId, joinedAt, requestedBy, requestedAt, effectiveAt };
}

/** A condition on a number attribute that a missing attribute satisfies as 0 (every counter starts there). */
export function equalsOrAbsent(attribute: string, placeholder: string, value: number): { condition: string; values: Record<string, unknown> } {
  return value === 0
    ? { condition: `attribute_not_exists(${attribute})`, values: {} }
    : { condition: `${attribute} = ${placeholder}`, values: { [placeholder]: value } };
}
