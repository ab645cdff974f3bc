import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { Client } from "./api.js";
import { totpCode } from "./oathtool.js";

export const PASSWORD = "correct horse battery staple";

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

export async function signUpAndLogin(api: Client, name = "Ada"): Promise<TestUser> {
  const email = `${name.toLowerCase()}-${randomUUID()}@example.com`;
  const created = await api.post("/v1/users", { email, password: PASSWORD, name });
  expect(created.status).toBe(201);
  const login = await api.post("/v1/auth/login", { email, password: PASSWORD });
  expect(login.status).toBe(201);
  return { id: created.body.user.id, email, token: login.body.session.token };
}

/** Enrolls and activates TOTP; the activating code is one step back, so the current step stays free for the test. */
export async function enableTotp(api: Client, user: TestUser): Promise<{ secret: string; recoveryCodes: string[] }> {
  const enrollment = await api.post("/v1/me/totp", undefined, user.token);
  expect(enrollment.status).toBe(201);
  const secret = enrollment.body.secret as string;
  let activation = await api.post("/v1/me/totp/activate", { code: totpCode(secret, new Date(Date.now() - 30_000)) }, user.token);
  // On a slow machine the step can turn between computing the code and checking it, putting the
  // step before the previous one out of the window: once more, with a code of the new time.
  if (activation.status === 401) activation = await api.post("/v1/me/totp/activate", { code: totpCode(secret, new Date(Date.now() - 30_000)) }, user.token);
  expect(activation.status, JSON.stringify(activation.body)).toBe(200);
  return { secret, recoveryCodes: activation.body.recoveryCodes };
}

export async function startChallenge(api: Client, user: TestUser): Promise<string> {
  const login = await api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
  expect(login.status).toBe(200);
  expect(login.body.status).toBe("two_factor_required");
  return login.body.challenge.id as string;
}
