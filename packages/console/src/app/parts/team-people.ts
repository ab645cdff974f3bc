import { useEffect, useState } from "preact/hooks";
import { api, ApiError, seg } from "../api.js";
import { useConsole } from "../context.js";
import type { Member, Page, User } from "../types.js";

/** Every member of a team (`GET …/members`, a page of 100 at a time): owners and admins only. */
export async function allMembers(teamId: string): Promise<Member[]> {
  const members: Member[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: "100", ...(cursor ? { cursor } : {}) });
    const page: Page<Member> = await api.get<Page<Member>>(`/v1/teams/${seg(teamId)}/members?${query}`);
    members.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return members;
}

export interface TeamPeople {
  /** null until read, or when the caller may not read the members (an auditor: `forbidden`). */
  members: Member[] | null;
  error: ApiError | null;
  reload(): Promise<void>;
}

/** The team's members, read again after each change here (`version`) and whenever `also` changes. */
export function useTeamPeople(teamId: string, enabled: boolean, also: unknown = null): TeamPeople {
  const app = useConsole();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const reload = async () => {
    try {
      setMembers(await allMembers(teamId));
      setError(null);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === "unauthenticated") app.sessionEnded();
      else if (failure instanceof ApiError && failure.code === "two_factor_setup_required") await app.refreshUser();
      else setError(failure instanceof ApiError ? failure : null);
    }
  };
  useEffect(() => { if (enabled) void reload(); }, [teamId, enabled, app.version, also]);
  return { members, error, reload };
}

/**
 * A user id as a person reads it: "you", a member's email, "the system"; "a former member" when the
 * members were read and they are not among them, "someone" when they could not be read.
 */
export function personOf(id: string | null | undefined, me: User, members: Member[] | null): string {
  if (!id) return "—";
  if (id === "system") return "the system";
  if (id === me.id) return "you";
  if (!members) return "someone";
  return members.find((member) => member.userId === id)?.email ?? "a former member";
}
