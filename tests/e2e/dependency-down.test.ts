import { afterEach, describe, expect, it } from "vitest";
import { signUpAndLogin } from "../support/flows.js";
import { useSystem } from "../support/system.js";

const ctx = useSystem();
let restore = () => {};
afterEach(() => restore());

describe("a dependency that is down", () => {
  it("answers 503 service_unavailable, not a 500, and serves again once it is back", async () => {
    const user = await signUpAndLogin(ctx.api);
    const endpoint = process.env.DYNAMODB_ENDPOINT;
    // The composition root reads its configuration per invocation: point it at a closed port.
    process.env.DYNAMODB_ENDPOINT = "http://127.0.0.1:9";
    restore = () => { process.env.DYNAMODB_ENDPOINT = endpoint; };

    const res = await ctx.api.get("/v1/me", user.token);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: "service_unavailable", status: 503 });
    expect(res.headers.get("content-type")).toBe("application/problem+json");

    restore();
    expect((await ctx.api.get("/v1/me", user.token)).status).toBe(200);
  });
});
