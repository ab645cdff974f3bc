import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { AuditLog } from "./screens/audit-log.js";
import { SecuritySettings } from "./screens/security-settings.js";
import { Team } from "./screens/team.js";
import { Teams } from "./screens/teams.js";
import type { User } from "./types.js";

/** The hash is the route (`#/teams/<id>/audit`), so a static host serves one page for every screen. */
export function useRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || "/");
  useEffect(() => {
    const follow = () => setRoute(location.hash.slice(1) || "/");
    addEventListener("hashchange", follow);
    return () => removeEventListener("hashchange", follow);
  }, []);
  return route;
}

/** The screens of a signed-in user who is not held to setup; anything unknown is Login & security. */
export function routeScreen(route: string, user: User) {
  const team = /^\/teams\/([^/]+)(\/audit)?$/.exec(route);
  if (team) {
    const teamId = decodeURIComponent(team[1]!);
    return team[2] ? html`<${AuditLog} key=${`${teamId}/audit`} user=${user} teamId=${teamId} />` : html`<${Team} key=${teamId} user=${user} teamId=${teamId} />`;
  }
  if (route === "/teams") return html`<${Teams} />`;
  return html`<${SecuritySettings} user=${user} />`;
}
