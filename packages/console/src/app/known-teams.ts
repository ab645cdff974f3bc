
/**
 * The API has no "my teams" list, so the console remembers the team ids this user created or
 * opened, in localStorage (ids are not secrets; the API still answers 404 for a team the user is
 * not in).
 */
const key = (userId: string) => `twofactor.teams.${userId}`;

export function knownTeams(userId: string): string[] {
  try {
    const ids = JSON.parse(localStorage.getItem(key(userId)) ?? "[]") as unknown;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

export function rememberTeam(userId: string, teamId: string): void {
  const ids = knownTeams(userId).filter((id) => id !== teamId);
  localStorage.setItem(key(userId), JSON.stringify([teamId, ...ids].slice(0, 50)));
}

export function forgetTeam(userId: string, teamId: string): void {
  localStorage.setItem(key(userId), JSON.stringify(knownTeams(userId).filter((id) => id !== teamId)));
}
