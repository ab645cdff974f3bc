import { describe, expect, it } from "vitest";
import { keys } from "@twofactor/aws";
import { sha256 } from "@twofactor/core";
import { inSteps, totpCode } from "../support/authenticator.js";
import { testClock } from "../support/clock.js";
import { enableTotp, signUpAndLogin, startChallenge } from "../support/flows.js";
import { useSystem } from "../support/system.js";

/**
 * Security state written before the FACTORS item was made smaller (docs/decisions/0019) keeps
 * working: recovery sets stored under whole hex digests, and secrets stored as base64 strings.
 */
const ctx = useSystem();
const factors = (userId: string) => ctx.system.runtime.table.get(keys.factors(userId));

describe("security state stored before the smaller FACTORS item", () => {
  it("signs in with a code of a recovery set stored under whole hex digests, once per code", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { recoveryCodes } = await enableTotp(ctx.api, user);
    const wholeDigests = Object.fromEntries(recoveryCodes.map((code) => [sha256(`${user.id}:${code.replace("-", "")}`), false]));
    await ctx.system.runtime.table.update(keys.factors(user.id), { set: { recoveryCodes: wholeDigests } });

    const [code] = recoveryCodes;
    const signedIn = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code: code!.toUpperCase() });
    expect(signedIn.status).toBe(201);
    const again = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code });
    expect(again.status).toBe(401);
    const another = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code: recoveryCodes[1] });
    expect(another.status).toBe(201);
  });

  it("activates an enrollment whose sealed secret was stored as a base64 string, and signs in with it", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = (await ctx.api.post("/v1/me/totp", undefined, user.token)).body as { secret: string };
    const stored = (await factors(user.id))!.totpSecret as Uint8Array;
    await ctx.system.runtime.table.update(keys.factors(user.id), { set: { totpSecret: Buffer.from(stored).toString("base64") } });

    expect((await ctx.api.post("/v1/me/totp/activate", { code: totpCode(secret, inSteps(-1)) }, user.token)).status).toBe(200);
    testClock.startFreshStep();
    const challenge = await startChallenge(ctx.api, user);
    expect((await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(secret) })).status).toBe(201);
  });
});
