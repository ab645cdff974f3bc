import type { Deps, RequestContext } from "../deps.js";
import { readAccount } from "../accounts/load-account.js";
import { readNetworkBudget } from "../attempts/attempt-budget.js";
import { toUserView, type UserView } from "../accounts/user-view.js";
import { rememberDevice, type RememberedDevice } from "../devices/remember-device.js";
import { ChallengeNotFoundError } from "../errors.js";
import type { Account } from "../ports.js";
import { recoveryCodeUsed } from "../second-factor/code-factor.js";
import { proveAndApply, type Presented } from "../second-factor/prove-and-apply.js";
import { issueSession, type IssuedSession } from "../sessions/sessions.js";
import { parseChallengeId } from "./challenge-id.js";
import { liveChallenge } from "./live-challenge.js";

/**
 * The second step of every login, whatever the factor: read the account named by the challenge id
 * (one query: the challenge waits with the factors), find the live challenge, prove the factor,
 * then issue the session. A failed proof leaves the challenge for another try; the first success
 * removes it in the same conditional write that claims what the proof used (its TOTP step, recovery
 * code or key counter), so one challenge yields at most one session and no success can leave it
 * usable. With `rememberDevice`, the browser becomes a trusted device.
 */
export interface Remember {
  rememberDevice?: boolean;
  /** The device token the browser already holds (cookie or header): remembering again replaces that device. */
  deviceToken?: string;
}

export async function finishLogin(
  deps: Deps,
  challengeId: string,
  present: (account: Account, challengeHash: string) => Presented,
  remember: Remember,
  context: RequestContext,
): Promise<{ session: IssuedSession; user: UserView; device?: RememberedDevice }> {
  const id = parseChallengeId(challengeId);
  if (!id) throw new ChallengeNotFoundError();
  // The account and the caller's network budget in one round trip: neither waits for the other.
  const network = readNetworkBudget(deps, context);
  const account = await readAccount(deps, id.userId);
  if (!account || !liveChallenge(account, id.idHash, deps.clock.now())) throw new ChallengeNotFoundError();

  const presented = present(account, id.idHash);
  const now = deps.clock.now();
  const claim = await proveAndApply(deps, account, presented, { kind: "none" },
    (c) => recoveryCodeUsed(c, account, "login", { ...context, now }), context, { challenge: id.idHash, network });

  // A proof makes a full session: the user has a factor, so no team holds them to setup.
  // Both follow the claim (which used the challenge up) and neither needs the other: one round trip.
  const [session, device] = await Promise.all([
    issueSession(deps, { userId: account.profile.id, epoch: account.epoch, scope: "full" }, presented.method, context),
    remember.rememberDevice ? rememberDevice(deps, account, remember.deviceToken, context) : undefined,
  ]);
  // As the proof's write left it: its recovery code used, the reset it saw cancelled.
  const { pendingReset: _cancelled, ...proved } = account;
  const used = claim.kind === "recovery_code" && account.recovery
    ? { ...proved, recovery: { ...account.recovery, codes: { ...account.recovery.codes, [claim.hash]: true } } }
    : proved;
  return { session, user: toUserView(used), ...(device ? { device } : {}) };
}
