import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { Client } from "./api.js";
import { inSteps, totpCode } from "./authenticator.js";

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

/**
 * Enrolls and activates TOTP; the activating code is one step back, so the current step stays free
 * for the test. `at` is that instant: the test clock's by default; a server process reads the wall clock.
 */
export async function enableTotp(api: Client, user: TestUser, at: Date = inSteps(-1)): Promise<{ secret: string; recoveryCodes: string[] }> {
  const enrollment = await api.post("/v1/me/totp", undefined, user.token);
  expect(enrollment.status).toBe(201);
  const secret = enrollment.body.secret as string;
  const activation = await api.post("/v1/me/totp/activate", { code: totpCode(secret, at) }, user.token);
  expect(activation.status).toBe(200);
  return { secret, recoveryCodes: activation.body.recoveryCodes };
}

export async function startChallenge(api: Client, user: TestUser): Promise<string> {
  const login = await api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
  expect(login.status).toBe(200);
  expect(login.body.status).toBe("two_factor_required");
  return login.body.challenge.id as string;
}
