import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { currentHandler } from "@twofactor/local";
import { totpCode } from "../support/authenticator.js";
import { enableTotp, PASSWORD, signUpAndLogin } from "../support/flows.js";
import { roundTripsInSeries, type Timed } from "../support/round-trips.js";
import { useSystem } from "../support/system.js";

/**
 * What a login costs in DynamoDB requests, counted at the SDK's middleware and attributed to the
 * function that sent them (the consumers write through the same client, but not in the request
 * path), and how many of them wait for one another: requests sent together count once. Counts and
 * order, never time.
 */
const ctx = useSystem();

function countRequests() {
  const byHandler = new Map<string, (Timed & { command: string })[]>();
  ctx.system.runtime.table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const handler = currentHandler() ?? "none";
      const start = performance.now();
      const out = await next(args);
      byHandler.set(handler, [...(byHandler.get(handler) ?? []), { command: (context.commandName ?? "?").replace(/Command$/, ""), start, end: performance.now() }]);
      return out;
    },
    { step: "initialize", name: "roundTripCounter", override: true },
  );
  return {
    of: (file: string) => byHandler.get(`functions/http/${file}.handler`) ?? [],
    clear: () => byHandler.clear(),
  };
}

const commands = (calls: { command: string }[]) => calls.map((call) => call.command).sort();

describe("DynamoDB requests of a login with TOTP", () => {
  it("verifies a code in at most 3 round trips one after another, and takes the password in 3", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const requests = countRequests();

    const login = await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(login.body.status).toBe("two_factor_required");
    // The email's credentials beside the caller's network budget, then the user's partition, then the challenge's write.
    expect(commands(requests.of("login"))).toEqual(["GetItem", "GetItem", "Query", "UpdateItem"]);
    expect(roundTripsInSeries(requests.of("login"))).toBe(3);

    const verified = await ctx.api.post(`/v1/auth/challenges/${login.body.challenge.id}/totp`, { code: totpCode(secret) });
    expect(verified.status).toBe(201);
    const verification = requests.of("challenge-totp");
    // The user's partition (account and challenge) beside the network budget; the claim that also
    // uses the challenge up; the session, owing LoginSucceeded, which the table's stream carries on.
    expect(commands(verification)).toEqual(["GetItem", "Query", "UpdateItem", "UpdateItem"]);
    expect(roundTripsInSeries(verification)).toBe(3);
    expect((await ctx.api.get("/v1/me", verified.body.session.token)).status).toBe(200);
  });

  it("reads the session and the account of GET /v1/me together", async () => {
    const user = await signUpAndLogin(ctx.api);
    const requests = countRequests();
    expect((await ctx.api.get("/v1/me", user.token)).status).toBe(200);
    expect(commands(requests.of("get-me"))).toEqual(["GetItem", "Query"]);
    expect(roundTripsInSeries(requests.of("get-me"))).toBe(1);
  });
});
