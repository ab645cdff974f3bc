import { expect } from "vitest";
import type { Client } from "./api.js";
import { signUpAndLogin, type TestUser } from "./flows.js";

export type Role = "owner" | "admin" | "member" | "auditor";
export const ROLES: readonly Role[] = ["owner", "admin", "member", "auditor"];

export async function createTeam(api: Client, owner: TestUser, name = "Team"): Promise<string> {
  const res = await api.post("/v1/teams", { name }, owner.token);
  expect(res.status).toBe(201);
  return res.body.team.id as string;
}

export async function addMember(api: Client, teamId: string, by: TestUser, user: TestUser, role: Role): Promise<void> {
  const res = await api.post(`/v1/teams/${teamId}/members`, { email: user.email, role }, by.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** A new user who joins the team with `role` (added by the owner). */
export async function newMember(api: Client, teamId: string, owner: TestUser, role: Role, name = "Member"): Promise<TestUser> {
  const user = await signUpAndLogin(api, name);
  await addMember(api, teamId, owner, user, role);
  return user;
}

export function put(api: Client, path: string, body: unknown, token: string) {
  return api.call("PUT", path, { body, token });
}
