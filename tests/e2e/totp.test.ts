import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Secret } from "otpauth";
import { inSteps, totpCode } from "../support/authenticator.js";
import { testClock } from "../support/clock.js";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge } from "../support/flows.js";
import { readQrCode } from "../support/qr-code.js";
import { useSystem } from "../support/system.js";

const ctx = useSystem({ totpIssuer: "TwoFactor" });

describe("enrolling an authenticator app", () => {
  it("gives a base32 secret, its otpauth URI and a QR code that a QR reader reads as that URI", async () => {
    const user = await signUpAndLogin(ctx.api);
    const res = await ctx.api.post("/v1/me/totp", undefined, user.token);
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(res.body.otpauthUri).toBe(
      `otpauth://totp/TwoFactor:${user.email}?secret=${res.body.secret}&issuer=TwoFactor&algorithm=SHA1&digits=6&period=30`,
    );
    expect(readQrCode(res.body.qrCode)).toBe(res.body.otpauthUri);
    expect((await ctx.api.get("/v1/me", user.token)).body.user.twoFactor.enabled).toBe(false);
  });

  it("activates with a code from an authenticator app, shows 10 recovery codes once, and turns 2FA on", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = (await ctx.api.post("/v1/me/totp", undefined, user.token)).body;
    const res = await ctx.api.post("/v1/me/totp/activate", { code: totpCode(secret) }, user.token);
    expect(res.status).toBe(200);
    expect(res.body.recoveryCodes).toHaveLength(10);
    expect(new Set(res.body.recoveryCodes).size).toBe(10);
    for (const code of res.body.recoveryCodes) expect(code.replace("-", "")).toMatch(/^[2-9a-hjkmnp-z]{10}$/);

    const me = (await ctx.api.get("/v1/me", user.token)).body.user;
    expect(me.twoFactor).toEqual({ pendingReset: null, enabled: true, methods: ["totp", "recovery_code"], needsSetup: false, enforcedBy: [] });
    expect(me.recoveryCodesRemaining).toBe(10);
    expect(JSON.stringify(me)).not.toContain(secret);
  });

  it("refuses a wrong activation code with 401 invalid_code and a malformed one with 400", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = (await ctx.api.post("/v1/me/totp", undefined, user.token)).body;
    const wrong = String((Number(totpCode(secret)) + 1) % 1_000_000).padStart(6, "0");
    expect((await ctx.api.post("/v1/me/totp/activate", { code: wrong }, user.token)).body.code).toBe("invalid_code");
    expect((await ctx.api.post("/v1/me/totp/activate", { code: "12ab56" }, user.token)).status).toBe(400);
    expect((await ctx.api.get("/v1/me", user.token)).body.user.twoFactor.enabled).toBe(false);
  });

  it("answers 409 to a new enrollment while TOTP is active, and to activation before enrollment", async () => {
    const user = await signUpAndLogin(ctx.api);
    const early = await ctx.api.post("/v1/me/totp/activate", { code: "123456" }, user.token);
    expect(early.status).toBe(409);
    await enableTotp(ctx.api, user);
    expect((await ctx.api.post("/v1/me/totp", undefined, user.token)).status).toBe(409);
  });

  it("restarting enrollment replaces the pending secret", async () => {
    const user = await signUpAndLogin(ctx.api);
    const first = (await ctx.api.post("/v1/me/totp", undefined, user.token)).body.secret;
    const second = (await ctx.api.post("/v1/me/totp", undefined, user.token)).body.secret;
    expect(second).not.toBe(first);
    expect((await ctx.api.post("/v1/me/totp/activate", { code: totpCode(first) }, user.token)).status).toBe(401);
    expect((await ctx.api.post("/v1/me/totp/activate", { code: totpCode(second) }, user.token)).status).toBe(200);
  });

  it("stores the secret sealed, never in plain text", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const { ScanCommand } = await import("@aws-sdk/lib-dynamodb");
    const items = (await ctx.system.runtime.table.client.send(new ScanCommand({ TableName: ctx.system.runtime.table.name }))).Items ?? [];
    const raw = Buffer.from(secret.replace(/=+$/, ""), "utf8").toString();
    expect(JSON.stringify(items)).not.toContain(raw);
    // Stored as the Encryption SDK's message, in binary: the secret's bytes are nowhere in it.
    const factorsItem = items.find((item) => item.pk === `USER#${user.id}` && item.sk === "FACTORS")!;
    expect(factorsItem.totpSecret).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(factorsItem.totpSecret as Uint8Array).includes(Buffer.from(Secret.fromBase32(secret).bytes))).toBe(false);
  });
});

describe("signing in with a code", () => {
  it("asks for the second factor, then issues a session for the right code", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const login = await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ status: "two_factor_required", challenge: { methods: ["totp", "recovery_code"] } });
    const expiresIn = new Date(login.body.challenge.expiresAt).getTime() - testClock.now().getTime();
    expect(expiresIn).toBeGreaterThan(290_000);
    expect(expiresIn).toBeLessThanOrEqual(300_000);

    const id = login.body.challenge.id;
    const done = await ctx.api.post(`/v1/auth/challenges/${id}/totp`, { code: totpCode(secret) });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ session: { scope: "full" }, user: { id: user.id } });
    expect((await ctx.api.get("/v1/me", done.body.session.token)).status).toBe(200);
  });

  it("keeps the challenge after a wrong code, consumes it on success", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const id = await startChallenge(ctx.api, user);
    const wrong = await ctx.api.post(`/v1/auth/challenges/${id}/totp`, { code: String((Number(totpCode(secret)) + 7) % 1e6).padStart(6, "0") });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe("invalid_code");
    expect((await ctx.api.post(`/v1/auth/challenges/${id}/totp`, { code: totpCode(secret) })).status).toBe(201);
    const again = await ctx.api.post(`/v1/auth/challenges/${id}/totp`, { code: totpCode(secret, inSteps(1)) });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe("challenge_not_found");
  });

  it("accepts the previous and next step, refuses two steps away", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    // enableTotp used step -1; -1 again is a replay, +1 is fresh.
    const replay = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/totp`, { code: totpCode(secret, inSteps(-1)) });
    expect(replay.status).toBe(401);
    const far = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/totp`, { code: totpCode(secret, inSteps(2)) });
    expect(far.status).toBe(401);
    const next = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/totp`, { code: totpCode(secret, inSteps(1)) });
    expect(next.status).toBe(201);
  });

  it("never accepts the code that activated TOTP", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = (await ctx.api.post("/v1/me/totp", undefined, user.token)).body;
    const code = totpCode(secret);
    expect((await ctx.api.post("/v1/me/totp/activate", { code }, user.token)).status).toBe(200);
    const id = await startChallenge(ctx.api, user);
    expect((await ctx.api.post(`/v1/auth/challenges/${id}/totp`, { code })).status).toBe(401);
  });

  it("lets one code win exactly one of 10 challenges sent at once", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const ids = await Promise.all(Array.from({ length: 10 }, () => startChallenge(ctx.api, user)));
    const code = totpCode(secret);
    const answers = await Promise.all(ids.map((id) => ctx.api.post(`/v1/auth/challenges/${id}/totp`, { code })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 201)) expect([401, 429]).toContain(answer.status);
  });

  it("answers 404 for an unknown challenge, and 400 for an id that no challenge can have", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const issued = await startChallenge(ctx.api, user);
    const secretPart = () => randomBytes(32).toString("base64url");
    // The shape of an issued id, naming this user or nobody: both unknown.
    for (const unknown of [`${user.id}.${secretPart()}`, `usr_${randomBytes(16).toString("base64url")}.${secretPart()}`]) {
      const res = await ctx.api.post(`/v1/auth/challenges/${unknown}/totp`, { code: totpCode(secret) });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("challenge_not_found");
    }
    for (const malformed of ["does-not-exist", secretPart(), `${issued}A`]) {
      const res = await ctx.api.post(`/v1/auth/challenges/${malformed}/totp`, { code: "123456" });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: "validation_failed", errors: [{ path: "challengeId" }] });
    }
    // None of that used the issued challenge up, nor the code's step.
    expect((await ctx.api.post(`/v1/auth/challenges/${issued}/totp`, { code: totpCode(secret) })).status).toBe(201);
  });

  it("keeps each login's challenge apart: another user's challenge id cannot be completed with this user's code", async () => {
    const alice = await signUpAndLogin(ctx.api, "Alice");
    const bob = await signUpAndLogin(ctx.api, "Bob");
    const aliceSecret = (await enableTotp(ctx.api, alice)).secret;
    await enableTotp(ctx.api, bob);
    const bobs = await startChallenge(ctx.api, bob);
    // Bob's challenge secret with Alice's id in front names no challenge of Alice's.
    const grafted = `${alice.id}.${bobs.split(".")[1]}`;
    expect((await ctx.api.post(`/v1/auth/challenges/${grafted}/totp`, { code: totpCode(aliceSecret) })).status).toBe(404);
    expect((await ctx.api.post(`/v1/auth/challenges/${bobs}/totp`, { code: totpCode(aliceSecret) })).status).toBe(401);
  });
});

describe("recovery codes", () => {
  it("sign in once each, and count down", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { recoveryCodes } = await enableTotp(ctx.api, user);
    const first = recoveryCodes[0]!;
    const ok = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code: first.toUpperCase() });
    expect(ok.status).toBe(201);
    expect(ok.body.user.recoveryCodesRemaining).toBe(9);
    const reuse = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code: first });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe("invalid_code");
    const nonsense = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code: "wrong" });
    expect(nonsense.status).toBe(401);
    expect(nonsense.body.code).toBe("invalid_code");
    const typedWithoutHyphen = recoveryCodes[1]!.replace("-", "");
    expect((await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code: typedWithoutHyphen })).status).toBe(201);
  });

  it("are replaced by regeneration, which needs a current code, and the old ones stop working", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret, recoveryCodes: old } = await enableTotp(ctx.api, user);
    expect((await ctx.api.post("/v1/me/recovery-codes", { code: "000000" }, user.token)).status).toBe(401);
    const res = await ctx.api.post("/v1/me/recovery-codes", { code: totpCode(secret) }, user.token);
    expect(res.status).toBe(200);
    expect(res.body.recoveryCodes).toHaveLength(10);
    expect(res.body.recoveryCodes).not.toContain(old[0]);
    const stale = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code: old[0] });
    expect(stale.status).toBe(401);
    const fresh = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/recovery-code`, { code: res.body.recoveryCodes[0] });
    expect(fresh.status).toBe(201);
  });

  it("are stored as hashes only", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { recoveryCodes } = await enableTotp(ctx.api, user);
    const { ScanCommand } = await import("@aws-sdk/lib-dynamodb");
    const dump = JSON.stringify((await ctx.system.runtime.table.client.send(new ScanCommand({ TableName: ctx.system.runtime.table.name }))).Items);
    for (const code of recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace("-", ""));
    }
  });
});

describe("turning TOTP off", () => {
  it("needs a current code, then turns 2FA off and voids the recovery codes", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    expect((await ctx.api.delete("/v1/me/totp", { code: "000000" }, user.token)).status).toBe(401);
    expect((await ctx.api.delete("/v1/me/totp", { code: totpCode(secret) }, user.token)).status).toBe(204);
    const me = (await ctx.api.get("/v1/me", user.token)).body.user;
    expect(me.twoFactor).toMatchObject({ enabled: false, methods: [] });
    expect(me.recoveryCodesRemaining).toBe(0);
    const login = await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(login.body.status).toBe("authenticated");
    expect((await ctx.api.delete("/v1/me/totp", { code: totpCode(secret, inSteps(1)) }, user.token)).status).toBe(409);
  });

  it("accepts a recovery code instead of a TOTP code", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { recoveryCodes } = await enableTotp(ctx.api, user);
    expect((await ctx.api.delete("/v1/me/totp", { code: recoveryCodes[3] }, user.token)).status).toBe(204);
  });

  it("refuses the code that was just used to sign in", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const code = totpCode(secret);
    const session = (await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, user)}/totp`, { code })).body.session.token;
    expect((await ctx.api.delete("/v1/me/totp", { code }, session)).status).toBe(401);
  });
});
