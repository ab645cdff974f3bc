import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalRuntime } from "@twofactor/local";
import type { Client } from "../support/api.js";
import { startFakeKms, type FakeKms, type KmsFailure } from "../support/fake-kms.js";
import { enableTotp, signUpAndLogin, startChallenge } from "../support/flows.js";
import { totpCode } from "../support/authenticator.js";
import { testClock } from "../support/clock.js";
import { connect, freshStepForEachTest, startSystem, useSystem } from "../support/system.js";

/**
 * The composition root reads its configuration once per cold start, as on Lambda: each describe
 * starts its own system configured against the failing dependency (a store line that can be cut, a
 * KMS that can fail, an endpoint where nothing listens).
 */
async function tableSnapshot(system: LocalRuntime) {
  await system.bus.idle();
  const { client, name } = system.runtime.table;
  const items = (await client.send(new ScanCommand({ TableName: name, ConsistentRead: true }))).Items ?? [];
  return items.map((item) => JSON.stringify(item)).sort();
}

describe("a dependency that is down", () => {
  const ctx = useSystem({}, { cuttableStore: true });

  it("answers 503 service_unavailable, not a 500, and serves again once it is back", async () => {
    const user = await signUpAndLogin(ctx.api);
    ctx.storeLine.cut();

    const res = await ctx.api.get("/v1/me", user.token);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: "service_unavailable", status: 503 });
    expect(res.headers.get("content-type")).toBe("application/problem+json");

    ctx.storeLine.mend();
    expect((await ctx.api.get("/v1/me", user.token)).status).toBe(200);
  });
});

/**
 * TOTP secrets sealed by the hierarchical keyring and the real SDK clients, with the functions
 * reaching the runtime's KMS through a proxy that can be made to fail as KMS does.
 */
describe("KMS that is down", () => {
  let kms: FakeKms;
  let system: LocalRuntime;
  let api: Client;
  freshStepForEachTest();
  beforeAll(async () => {
    kms = await startFakeKms();
    system = await startSystem({ env: { KMS_ENDPOINT: kms.endpoint } });
    kms.forwardTo(system.kms.endpoint);
    ({ api } = await connect(system));
  });
  afterAll(async () => {
    await system?.stop();
    await kms?.stop();
  });

  const failures: KmsFailure[] = ["throttling", "internal", "dependency_timeout", "key_unavailable", "disabled", "pending_deletion", "connection_reset"];

  it("makes enrollment and a TOTP login answer 503 while no branch key is cached, with nothing written, and both work once KMS is back", async () => {
    const user = await signUpAndLogin(api);
    const { secret } = await enableTotp(api, user);
    const newcomer = await signUpAndLogin(api, "Newcomer");
    const challengeId = await startChallenge(api, user);
    const code = totpCode(secret);
    system.coldStart(); // new function instances: no branch key cached

    for (const failure of failures) {
      kms.fail(failure);
      const before = await tableSnapshot(system);
      const enrollment = await api.post("/v1/me/totp", undefined, newcomer.token);
      expect(enrollment.status, `${failure}: ${JSON.stringify(enrollment.body)}`).toBe(503);
      expect(enrollment.body).toMatchObject({ code: "service_unavailable", status: 503 });
      const login = await api.post(`/v1/auth/challenges/${challengeId}/totp`, { code });
      expect(login.status, `${failure}: ${JSON.stringify(login.body)}`).toBe(503);
      expect(login.body).toMatchObject({ code: "service_unavailable" });
      expect(await tableSnapshot(system), failure).toEqual(before);
    }
    expect(kms.calls.Decrypt).toBeGreaterThan(0);

    // Nothing was used up or counted: the same challenge and code sign in, and enrollment starts.
    kms.heal();
    const signedIn = await api.post(`/v1/auth/challenges/${challengeId}/totp`, { code });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(201);
    expect((await api.post("/v1/me/totp", undefined, newcomer.token)).status).toBe(201);
  }, 60_000);

  it("lets a warm function keep signing in with its cached branch key while KMS is down", async () => {
    const user = await signUpAndLogin(api);
    const { secret } = await enableTotp(api, user);
    const first = await startChallenge(api, user);
    expect((await api.post(`/v1/auth/challenges/${first}/totp`, { code: totpCode(secret) })).status).toBe(201);

    kms.fail("internal");
    testClock.startFreshStep(); // a new code: the last one is spent
    const second = await startChallenge(api, user);
    const res = await api.post(`/v1/auth/challenges/${second}/totp`, { code: totpCode(secret) });
    kms.heal();
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});

describe("KMS that cannot be reached at all", () => {
  // Port 9 (discard): nothing listens there on loopback.
  const ctx = useSystem({ env: { KMS_ENDPOINT: "http://127.0.0.1:9" } });

  it("answers 503, with nothing written", async () => {
    const user = await signUpAndLogin(ctx.api);
    const before = await tableSnapshot(ctx.system);
    const res = await ctx.api.post("/v1/me/totp", undefined, user.token);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: "service_unavailable" });
    expect(await tableSnapshot(ctx.system)).toEqual(before);
  });
});
