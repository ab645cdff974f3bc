import type { Deps, RequestContext, WithPasswords } from "../deps.js";
import { normalizeEmail } from "../accounts/email.js";
import { readAccount } from "../accounts/load-account.js";
import { passwordMatches } from "../accounts/passwords.js";
import { secondFactorMethods, toUserView, type UserView } from "../accounts/user-view.js";
import { assertMayCheck, budgetFor, countWrong, readNetworkBudget } from "../attempts/attempt-budget.js";
import { trustedDeviceFor } from "../devices/use-trusted-device.js";
import { InvalidCredentialsError } from "../errors.js";
import { scopeOf } from "../fence/fence.js";
import type { SecondFactorMethod } from "../ports.js";
import { issueSession, type IssuedSession } from "../sessions/sessions.js";
import { addSeconds, notBefore } from "../common/time.js";
import { newChallengeId } from "./challenge-id.js";
import { staleChallenges } from "./stale-challenges.js";

export type LoginResult =
  | { status: "authenticated"; session: IssuedSession; user: UserView }
  | { status: "setup_required"; session: IssuedSession; user: UserView }
  | { status: "two_factor_required"; challenge: { id: string; expiresAt: string; methods: SecondFactorMethod[] } };

/**
 * First factor. An unknown email and a wrong password answer alike and cost alike: argon2 runs
 * either way, and the refusal waits out a fixed floor that covers the account read and the failure
 * count only an existing account costs. The password budget is separate from the second factor's,
 * so password guessing cannot lock anyone out of their second factor; both count toward the
 * caller's network. A right password while the password budget is spent (as read) answers 429.
 * With 2FA on, a trusted device's token (cookie `device_trust` or `X-Device-Token`) skips the
 * second factor while the device is unchanged.
 */
export async function loginWithPassword(
  deps: Deps & WithPasswords,
  input: { email: string; password: string; deviceToken?: string },
  context: RequestContext,
): Promise<LoginResult> {
  const started = performance.now();
  // The network budget depends on the caller alone: it is read beside the email's credentials.
  const network = readNetworkBudget(deps, context);
  const credentials = await deps.accounts.findCredentials(normalizeEmail(input.email));
  const account = credentials && (await readAccount(deps, credentials.userId));
  await assertMayCheck(deps, account, "password", context, network);

  const matched = await passwordMatches(deps.passwords, account ? credentials.passwordHash : undefined, input.password);
  if (!account || !matched) {
    try {
      await countWrong(deps, account?.profile.id, "password", "password", context);
    } finally {
      await notBefore(started, deps.policy.failedLoginMinMs);
    }
    throw new InvalidCredentialsError();
  }
  if ((account.attempts.password?.failures ?? 0) > 0) await deps.attempts.reset(account.profile.id, budgetFor(deps.policy, "password"));

  const userId = account.profile.id;
  const methods = secondFactorMethods(account);
  if (methods.length === 0) {
    // Under the epoch read: an activation that lands before this session is stored ends it. Its
    // scope is never stored: held by a team without a factor, it is a setup session at every request.
    const scope = scopeOf(account);
    const session = await issueSession(deps, { userId, epoch: account.epoch, scope }, "password", context);
    return { status: scope === "setup" ? "setup_required" : "authenticated", session, user: toUserView(account) };
  }
  // A trusted, unchanged device earned its trust with a second factor: no new check, so the second
  // factor's lock does not stop it (the password and its lock still did, above).
  const device = await trustedDeviceFor(deps, account, input.deviceToken, context);
  if (device) {
    // Recording the use decides nothing (its result is not read): it goes out beside the session.
    const [session] = await Promise.all([
      issueSession(deps, { userId, epoch: account.epoch, scope: "full" }, "trusted_device", context, device.id),
      deps.devices.recordUse(device, deps.clock.now()),
    ]);
    return { status: "authenticated", session, user: toUserView(account) };
  }

  const { id, idHash } = newChallengeId(account.profile.id);
  const now = deps.clock.now();
  const expiresAt = addSeconds(now, deps.policy.challengeTtlSeconds).toISOString();
  await deps.challenges.create({ idHash, userId, methods, expiresAt, epoch: account.epoch }, staleChallenges(account, now));
  return { status: "two_factor_required", challenge: { id, expiresAt, methods } };
}
