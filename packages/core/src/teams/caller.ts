import type { Deps } from "../deps.js";
import type { Member } from "../ports.js";
import { authorize, type TeamAction } from "./authorization.js";

/** The caller's membership, authorized for `action` (404 for another team, 403 for a role without the right). */
export async function callerMay(deps: Pick<Deps, "teams">, teamId: string, userId: string, action: TeamAction): Promise<Member> {
  return authorize(await deps.teams.member(teamId, userId), action);
}
