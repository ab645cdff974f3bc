import { expect } from "vitest";
import type { Client } from "./api.js";
import { signUpAndLogin, type TestUser } from "./flows.js";

export type Role = "owner" | "admin" | "member" | "auditor";
export const ROLES: readonly Role[] = ["owner", "admin", "member", "auditor"];

export async function createTeam(api: Client, owner: TestUser, name = "Team"): Promise<string> {
  const res = await api.post("/v1/teams", { name }, owner.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.team.id as string;
}

/** `by` invites `email` with `role`; answers the invitation's id. Inviting an admin or an owner needs `by` to have 2FA and a recent proof. */
export async function invite(api: Client, teamId: string, by: TestUser, email: string, role: Role): Promise<string> {
  const res = await api.post(`/v1/teams/${teamId}/invitations`, { email, role }, by.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.invitation.id as string;
}

export async function accept(api: Client, user: TestUser, invitationId: string): Promise<void> {
  const res = await api.post(`/v1/me/invitations/${invitationId}/accept`, undefined, user.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** `user` joins the team with `role`: invited by `by`, then accepting. */
export async function addMember(api: Client, teamId: string, by: TestUser, user: TestUser, role: Role): Promise<void> {
  await accept(api, user, await invite(api, teamId, by, user.email, role));
}

/** A new user who joins the team with `role` (invited by `by`). */
export async function newMember(api: Client, teamId: string, by: TestUser, role: Role, name = "Member"): Promise<TestUser> {
  const user = await signUpAndLogin(api, name);
  await addMember(api, teamId, by, user, role);
  return user;
}

export function put(api: Client, path: string, body: unknown, token: string) {
  return api.call("PUT", path, { body, token });
}
