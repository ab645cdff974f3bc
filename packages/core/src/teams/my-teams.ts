import type { Deps } from "../deps.js";
import { InvalidCursorError } from "../errors.js";
import type { Page, PageRequest } from "../ports.js";
import type { AuthenticatedSession } from "../sessions/sessions.js";
import type { MyTeamView } from "./views.js";

/**
 * `GET /v1/me/teams`: the caller's memberships as their own state records them (already read with
 * the session), oldest first, with each team's name and whether it enforces 2FA (one batch read).
 * A setup-scoped session may ask, so that a held member sees which team holds them.
 */
export async function listMyTeams(deps: Pick<Deps, "teams">, session: AuthenticatedSession, page: PageRequest): Promise<Page<MyTeamView>> {
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  const entries = [...session.security.teams]
    .sort((a, b) => orderKey(a).localeCompare(orderKey(b)))
    .filter((entry) => after === undefined || orderKey(entry) > after);
  const shown = entries.slice(0, page.limit);
  const teams = new Map((await deps.teams.getMany(shown.map((entry) => entry.teamId))).map((team) => [team.id, team]));
  const items = shown.flatMap((entry) => {
    const team = teams.get(entry.teamId);
    return team ? [{ team: { id: team.id, name: team.name }, role: entry.role, joinedAt: entry.joinedAt, enforcing: team.enforcement.enabled }] : [];
  });
  return { items, nextCursor: entries.length > page.limit ? Buffer.from(orderKey(shown.at(-1)!)).toString("base64url") : null };
}

const orderKey = (entry: { joinedAt: string; teamId: string }) => `${entry.joinedAt}|${entry.teamId}`;

function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|team_[A-Za-z0-9_-]{1,64}$/.test(key)) throw new InvalidCursorError();
  return key;
}
