import { describe, expect, it } from "vitest";
import { currentHandler } from "@twofactor/local";
import { totpCode } from "../support/authenticator.js";
import { enableTotp, PASSWORD, signUpAndLogin } from "../support/flows.js";
import { useSystem } from "../support/system.js";

/**
 * What a login costs in DynamoDB requests, counted at the SDK's middleware and attributed to the
 * function that sent them (the audit and metrics consumers write through the same client, but not
 * in the request path). Counts, never time.
 */
const ctx = useSystem();

function countRequests() {
  const byHandler = new Map<string, string[]>();
  ctx.system.runtime.table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const handler = currentHandler() ?? "none";
      byHandler.set(handler, [...(byHandler.get(handler) ?? []), (context.commandName ?? "?").replace(/Command$/, "")]);
      return next(args);
    },
    { step: "initialize", name: "roundTripCounter", override: true },
  );
  return {
    of: (file: string) => byHandler.get(`functions/http/${file}.handler`) ?? [],
    clear: () => byHandler.clear(),
  };
}

describe("DynamoDB requests of a login with TOTP", () => {
  it("costs at most 5 requests to verify a code, and still 4 for the password step", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    const requests = countRequests();

    const login = await ctx.api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(login.body.status).toBe("two_factor_required");
    // The email's credentials, the user's partition, the caller's network budget, the challenge's write.
    expect(requests.of("login").sort()).toEqual(["GetItem", "GetItem", "Query", "UpdateItem"]);

    const verified = await ctx.api.post(`/v1/auth/challenges/${login.body.challenge.id}/totp`, { code: totpCode(secret) });
    expect(verified.status).toBe(201);
    const verification = requests.of("challenge-totp");
    // The user's partition (account and challenge), the network budget, the claim that also uses the
    // challenge up, the session (owing LoginSucceeded) and the outbox's settle after publishing it.
    expect(verification.length).toBeLessThanOrEqual(5);
    expect(verification.sort()).toEqual(["GetItem", "Query", "UpdateItem", "UpdateItem", "UpdateItem"]);
    expect((await ctx.api.get("/v1/me", verified.body.session.token)).status).toBe(200);
  });
});
