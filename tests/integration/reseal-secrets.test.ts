import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EncryptionSdkVault, fromStoredSealed, keys, rawAesKeyring, resealSecrets } from "@twofactor/aws";
import type { EncryptionContext } from "@twofactor/core";
import { readConfig } from "@twofactor/functions/config";
import { vaultFor } from "@twofactor/functions/composition";
import { totpCode } from "../support/authenticator.js";
import { testClock } from "../support/clock.js";
import { enableTotp, signUpAndLogin, startChallenge, type TestUser } from "../support/flows.js";
import { useSystem } from "../support/system.js";

/**
 * Secrets sealed before the hierarchical keyring (here by the local key file's raw AES keyring, as
 * before it) still sign in, and `resealSecrets` seals them anew without overwriting a change their
 * user made meanwhile.
 */
const ctx = useSystem();
const context = (userId: string) => ({ purpose: "totp", userId });
const factorsOf = async (userId: string) => (await ctx.system.runtime.table.get(keys.factors(userId)))!;

/** Rewrites the user's sealed secret as the raw AES keyring sealed secrets before this change (and as a string, as they were stored then). */
async function sealTheOldWay(user: TestUser): Promise<string> {
  const vault = vaultFor(readConfig());
  const plaintext = await vault.open(fromStoredSealed((await factorsOf(user.id)).totpSecret)!, context(user.id));
  const old = await new EncryptionSdkVault(rawAesKeyring(readFileSync(readConfig().LOCAL_KEY_FILE!))).seal(plaintext, context(user.id));
  await ctx.system.runtime.table.update(keys.factors(user.id), { set: { totpSecret: old } });
  return old;
}

async function signsInWithTotp(user: TestUser, secret: string): Promise<number> {
  testClock.startFreshStep();
  const challenge = await startChallenge(ctx.api, user);
  return (await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(secret) })).status;
}

describe("resealing secrets sealed before the hierarchical keyring", () => {
  it("signs in with an old secret, reseals it, skips one its user changed meanwhile, and a second run changes nothing", async () => {
    const ada = await signUpAndLogin(ctx.api, "Ada");
    const adaApp = await enableTotp(ctx.api, ada);
    const grace = await signUpAndLogin(ctx.api, "Grace");
    await enableTotp(ctx.api, grace);
    const adaOld = await sealTheOldWay(ada);
    await sealTheOldWay(grace);
    expect(await signsInWithTotp(ada, adaApp.secret)).toBe(201);

    // Grace changes her app while the script is at her item: her change must win.
    const vault = vaultFor(readConfig());
    const changedByGrace = await vault.seal(new Uint8Array(20).fill(7), context(grace.id));
    const racing = new (class extends EncryptionSdkVault {
      override async openAndAge(sealed: string, ctxt: EncryptionContext) {
        const opened = await vault.openAndAge(sealed, ctxt);
        if (ctxt.userId === grace.id) await ctx.system.runtime.table.update(keys.factors(grace.id), { set: { totpSecret: changedByGrace } });
        return opened;
      }
      override seal(plaintext: Uint8Array, ctxt: EncryptionContext) { return vault.seal(plaintext, ctxt); }
    })(rawAesKeyring(new Uint8Array(32)));

    const report = await resealSecrets(ctx.system.runtime.table, racing);

    expect(report).toEqual({ examined: 2, resealed: 1, changedMeanwhile: 1 });
    const adaNow = fromStoredSealed((await factorsOf(ada.id)).totpSecret)!;
    expect(adaNow).not.toBe(adaOld);
    expect((await vault.openAndAge(adaNow, context(ada.id))).sealedByOlderKeyring).toBe(false);
    expect((await factorsOf(grace.id)).totpSecret).toBe(changedByGrace);
    expect(await signsInWithTotp(ada, adaApp.secret)).toBe(201);

    expect(await resealSecrets(ctx.system.runtime.table, vault)).toEqual({ examined: 2, resealed: 0, changedMeanwhile: 0 });
  }, 60_000);
});
