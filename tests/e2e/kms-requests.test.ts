import { describe, expect, it } from "vitest";
import { totpCode } from "../support/authenticator.js";
import { testClock } from "../support/clock.js";
import { enableTotp, signUpAndLogin, startChallenge } from "../support/flows.js";
import { useSystem } from "../support/system.js";

/**
 * KMS requests as the local KMS endpoint counts them: with the hierarchical keyring a warm system
 * asks KMS for the branch key once per cache period, not once per TOTP verification.
 */
const ctx = useSystem();

describe("KMS requests behind TOTP", () => {
  it("enrolling, activating and 20 TOTP logins make at most 2 KMS Decrypts in all, and nothing else of KMS", async () => {
    const before = { ...ctx.system.kms.requests };
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);

    for (let i = 0; i < 20; i++) {
      testClock.startFreshStep(); // each login its own code: a spent step is refused
      const challenge = await startChallenge(ctx.api, user);
      const res = await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(secret) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }

    const made = Object.fromEntries(Object.entries(ctx.system.kms.requests).map(([op, n]) => [op, n - (before[op] ?? 0)]).filter(([, n]) => n !== 0));
    // The seal reads the active branch key, the opens its version: one Decrypt each, then both are cached.
    expect(made.Decrypt).toBeGreaterThanOrEqual(1);
    expect(made.Decrypt).toBeLessThanOrEqual(2);
    expect(Object.keys(made)).toEqual(["Decrypt"]);
  }, 60_000);
});
