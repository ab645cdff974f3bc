import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeKms, type FakeKms, type KmsFailure } from "../support/fake-kms.js";
import { enableTotp, signUpAndLogin, startChallenge } from "../support/flows.js";
import { totpCode } from "../support/authenticator.js";
import { testClock } from "../support/clock.js";
import { useSystem } from "../support/system.js";

const ctx = useSystem();
let restore = () => {};
afterEach(() => restore());

/** Sets environment variables for the composition root (read per invocation) until the test ends. */
function setEnv(values: Record<string, string>) {
  const before = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  restore = () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  };
}

async function tableSnapshot() {
  await ctx.system.bus.idle();
  const { client, name } = ctx.system.runtime.table;
  const items = (await client.send(new ScanCommand({ TableName: name, ConsistentRead: true }))).Items ?? [];
  return items.map((item) => JSON.stringify(item)).sort();
}

describe("a dependency that is down", () => {
  it("answers 503 service_unavailable, not a 500, and serves again once it is back", async () => {
    const user = await signUpAndLogin(ctx.api);
    // The composition root reads its configuration per invocation: point it at a closed port.
    setEnv({ DYNAMODB_ENDPOINT: "http://127.0.0.1:9" });

    const res = await ctx.api.get("/v1/me", user.token);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: "service_unavailable", status: 503 });
    expect(res.headers.get("content-type")).toBe("application/problem+json");

    restore();
    expect((await ctx.api.get("/v1/me", user.token)).status).toBe(200);
  });
});

/**
 * TOTP secrets sealed by the hierarchical keyring and the real SDK clients, with KMS reached through a
 * proxy that can be made to fail as KMS does. Pointing KMS_ENDPOINT at it composes anew: a function
 * instance whose branch key cache is cold.
 */
describe("KMS that is down", () => {
  let kms: FakeKms;
  beforeAll(async () => { kms = await startFakeKms(ctx.system.kms.endpoint); });
  afterAll(async () => { await kms?.stop(); });
  afterEach(() => kms.heal());

  const failures: KmsFailure[] = ["throttling", "internal", "dependency_timeout", "key_unavailable", "disabled", "pending_deletion", "connection_reset"];

  it("makes enrollment and a TOTP login answer 503 while no branch key is cached, with nothing written, and both work once KMS is back", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const newcomer = await signUpAndLogin(ctx.api, "Newcomer");
    const challengeId = await startChallenge(ctx.api, user);
    const code = totpCode(secret);
    setEnv({ KMS_ENDPOINT: kms.endpoint });

    for (const failure of failures) {
      kms.fail(failure);
      const before = await tableSnapshot();
      const enrollment = await ctx.api.post("/v1/me/totp", undefined, newcomer.token);
      expect(enrollment.status, `${failure}: ${JSON.stringify(enrollment.body)}`).toBe(503);
      expect(enrollment.body).toMatchObject({ code: "service_unavailable", status: 503 });
      const login = await ctx.api.post(`/v1/auth/challenges/${challengeId}/totp`, { code });
      expect(login.status, `${failure}: ${JSON.stringify(login.body)}`).toBe(503);
      expect(login.body).toMatchObject({ code: "service_unavailable" });
      expect(await tableSnapshot(), failure).toEqual(before);
    }
    expect(kms.calls.Decrypt).toBeGreaterThan(0);

    // Nothing was used up or counted: the same challenge and code sign in, and enrollment starts.
    kms.heal();
    const signedIn = await ctx.api.post(`/v1/auth/challenges/${challengeId}/totp`, { code });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(201);
    expect((await ctx.api.post("/v1/me/totp", undefined, newcomer.token)).status).toBe(201);
  }, 60_000);

  it("lets a warm function keep signing in with its cached branch key while KMS is down", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    setEnv({ KMS_ENDPOINT: kms.endpoint });
    const first = await startChallenge(ctx.api, user);
    expect((await ctx.api.post(`/v1/auth/challenges/${first}/totp`, { code: totpCode(secret) })).status).toBe(201);

    kms.fail("internal");
    testClock.startFreshStep(); // a new code: the last one is spent
    const second = await startChallenge(ctx.api, user);
    const res = await ctx.api.post(`/v1/auth/challenges/${second}/totp`, { code: totpCode(secret) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it("answers 503 when KMS cannot be reached at all", async () => {
    setEnv({ KMS_ENDPOINT: "http://127.0.0.1:9" });
    const user = await signUpAndLogin(ctx.api);
    const before = await tableSnapshot();
    const res = await ctx.api.post("/v1/me/totp", undefined, user.token);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: "service_unavailable" });
    expect(await tableSnapshot()).toEqual(before);
  });
});
