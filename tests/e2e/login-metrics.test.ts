import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { currentHandler } from "@twofactor/local";
import { totpCode } from "../support/authenticator.js";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge } from "../support/flows.js";
import { useSystem } from "../support/system.js";

const ctx = useSystem();

/** The EMF lines written while a test runs, each with the function that wrote it (the rest of stdout passes through). */
let metrics: { handler: string | undefined; name: string; value: number; dimensions: Record<string, string> }[] = [];

beforeEach(() => {
  metrics = [];
  // The runtime turns metrics off (nothing reads them locally); here they are what is checked.
  vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
  vi.stubEnv("POWERTOOLS_METRICS_NAMESPACE", "twofactor/test");
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (!text.includes('"_aws"')) return write(chunk as string, ...(rest as []));
    const blob = JSON.parse(text);
    const { Metrics, Dimensions, Namespace } = blob._aws.CloudWatchMetrics[0];
    expect(Namespace).toBe("twofactor/test");
    const name = Metrics[0].Name as string;
    metrics.push({ handler: currentHandler(), name, value: blob[name], dimensions: Object.fromEntries((Dimensions[0] as string[]).map((d) => [d, blob[d]])) });
    return true;
  }) as typeof process.stdout.write);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("login metrics", () => {
  it("are counted by the function whose write stored the event, once, with no consumer in between", async () => {
    const user = await signUpAndLogin(ctx.api);
    const { secret } = await enableTotp(ctx.api, user);
    metrics = [];

    expect((await ctx.api.post("/v1/auth/login", { email: user.email, password: "a wrong password!" })).status).toBe(401);
    const challenge = await startChallenge(ctx.api, user);
    expect((await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(secret) })).status).toBe(201);
    await ctx.system.bus.idle();

    expect(metrics).toEqual([
      { handler: "functions/http/login.handler", name: "LoginFailures", value: 1, dimensions: { service: "twofactor", factor: "password" } },
      { handler: "functions/http/challenge-totp.handler", name: "Logins", value: 1, dimensions: { service: "twofactor", method: "totp" } },
    ]);
  });

  it("are not written when Powertools' variable turns metrics off, as the local runtime does", async () => {
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "true");
    await ctx.api.post("/v1/auth/login", { email: (await signUpAndLogin(ctx.api)).email, password: PASSWORD });
    await ctx.system.bus.idle();
    expect(metrics).toEqual([]);
  });
});
