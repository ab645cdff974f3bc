import { describe, expect, it } from "vitest";
import { testClock } from "../support/clock.js";
import { PASSWORD, signUpAndLogin } from "../support/flows.js";
import { useSystem } from "../support/system.js";

const ctx = useSystem();

describe("sign-up", () => {
  it("creates a user with 2FA off", async () => {
    const res = await ctx.api.post("/v1/users", { email: "Grace@Example.com", password: PASSWORD, name: "Grace" });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      email: "grace@example.com",
      name: "Grace",
      twoFactor: { enabled: false, methods: [], needsSetup: false, enforcedBy: [], pendingReset: null },
      recoveryCodesRemaining: 0,
    });
    expect(res.body.user.id).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
  });

  it("refuses an email already taken, whatever its case", async () => {
    await ctx.api.post("/v1/users", { email: "linus@example.com", password: PASSWORD, name: "Linus" });
    const again = await ctx.api.post("/v1/users", { email: " LINUS@example.com ", password: PASSWORD, name: "Other" });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, code: "email_taken" });
    expect(again.headers.get("content-type")).toBe("application/problem+json");
  });

  it("refuses a password under 12 characters, naming the field", async () => {
    const res = await ctx.api.post("/v1/users", { email: "short@example.com", password: "elevenchars", name: "S" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "password" })]);
    const login = await ctx.api.post("/v1/auth/login", { email: "short@example.com", password: "elevenchars" });
    expect(login.status).toBe(401);
  });
});

describe("login without a second factor", () => {
  it("issues a full session when 2FA is off", async () => {
    const user = await signUpAndLogin(ctx.api);
    const login = await ctx.api.post("/v1/auth/login", { email: user.email.toUpperCase(), password: PASSWORD });
    expect(login.status).toBe(201);
    expect(login.body).toMatchObject({ status: "authenticated", session: { scope: "full" }, user: { id: user.id } });
    expect(new Date(login.body.session.expiresAt).getTime() - testClock.now().getTime()).toBeGreaterThan(11.9 * 3600_000);
  });

  it("answers a wrong password and an unknown email alike", async () => {
    const user = await signUpAndLogin(ctx.api);
    const wrong = await ctx.api.post("/v1/auth/login", { email: user.email, password: "not the password at all" });
    const unknown = await ctx.api.post("/v1/auth/login", { email: "nobody@example.com", password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe("invalid_credentials");
  });
});

describe("sessions", () => {
  it("reads the signed-in user and refuses a missing or bad token", async () => {
    const user = await signUpAndLogin(ctx.api);
    expect((await ctx.api.get("/v1/me", user.token)).body.user.email).toBe(user.email);
    const none = await ctx.api.get("/v1/me");
    expect(none.status).toBe(401);
    expect(none.body.code).toBe("unauthenticated");
    expect((await ctx.api.get("/v1/me", "not-a-token")).status).toBe(401);
  });

  it("revokes the session on logout", async () => {
    const user = await signUpAndLogin(ctx.api);
    const out = await ctx.api.post("/v1/auth/logout", undefined, user.token);
    expect(out.status).toBe(204);
    expect((await ctx.api.get("/v1/me", user.token)).status).toBe(401);
    expect((await ctx.api.post("/v1/auth/logout", undefined, user.token)).status).toBe(401);
  });

  it("stores only a hash of the token", async () => {
    const user = await signUpAndLogin(ctx.api);
    const dump = JSON.stringify(await scanTable(ctx.system.runtime.table));
    expect(dump).not.toContain(user.token);
  });
});

describe("the HTTP edge", () => {
  it("answers health without auth", async () => {
    expect(await ctx.api.get("/v1/health")).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("refuses bodies over 16 KiB with 413, a wrong media type with 415, broken JSON with 400", async () => {
    const big = await ctx.api.call("POST", "/v1/users", { raw: JSON.stringify({ email: "a@b.co", password: "x".repeat(17_000), name: "n" }), headers: { "content-type": "application/json" } });
    expect(big.status).toBe(413);
    const text = await ctx.api.call("POST", "/v1/users", { raw: "email=a", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(text.status).toBe(415);
    const broken = await ctx.api.call("POST", "/v1/users", { raw: "{\"email\":", headers: { "content-type": "application/json" } });
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe("malformed_json");
  });

  it("answers unknown paths with a 404 problem and known paths with a wrong method with 405", async () => {
    const missing = await ctx.api.get("/v1/nothing-here");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    const wrongMethod = await ctx.api.call("PUT", "/v1/users");
    expect(wrongMethod.status).toBe(405);
  });
});

async function scanTable(table: import("@twofactor/aws").Table) {
  const { ScanCommand } = await import("@aws-sdk/lib-dynamodb");
  return (await table.client.send(new ScanCommand({ TableName: table.name }))).Items ?? [];
}
