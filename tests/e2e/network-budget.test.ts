import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PASSWORD, signUpAndLogin } from "../support/flows.js";
import { callFrom } from "../support/from-address.js";
import { useSystem } from "../support/system.js";

/**
 * The per-network budget (docs/api.md: IPv4 /24, IPv6 /48): guessing spread over many accounts from one
 * network is stopped too. 127.0.0.1 and 127.0.1.1 are two /24 networks on this machine's loopback.
 */
const LIMIT = 8;
const ctx = useSystem({ env: { NETWORK_FAILURE_LIMIT: String(LIMIT), NETWORK_WINDOW_SECONDS: "900" } });

describe("per-network budget", () => {
  it("refuses every check from a network after its limit of wrong answers across accounts, and only there", async () => {
    const victim = await signUpAndLogin(ctx.api, "Victim");
    const url = `${ctx.system.url}/v1/auth/login`;
    const from = (address: string, email: string, password: string) => callFrom(address, url, "POST", { email, password });

    // A burst of wrong passwords, each at another (mostly unknown) account, from 127.0.1.x.
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      from("127.0.1.1", i % 4 === 0 ? victim.email : `nobody-${randomUUID()}@example.com`, `wrong password ${i}`)));
    const wrong = answers.filter((a) => a.status === 401).length;
    const refused = answers.filter((a) => a.status === 429);
    console.info(`40 concurrent wrong logins from one /24: ${wrong} × 401, ${refused.length} × 429`);
    expect(wrong).toBeLessThanOrEqual(LIMIT);
    expect(wrong + refused.length).toBe(40);
    for (const answer of refused) {
      expect(answer.body.code).toBe("too_many_attempts");
      expect(Number(answer.headers["retry-after"])).toBeGreaterThan(0);
      expect(Number(answer.headers["retry-after"])).toBeLessThanOrEqual(900);
    }

    // The network is spent: even the right password is refused there, from any address in the /24...
    expect((await from("127.0.1.200", victim.email, PASSWORD)).status).toBe(429);
    // ...but not from another network, and the victim's own password budget was barely touched.
    const elsewhere = await from("127.0.0.1", victim.email, PASSWORD);
    expect(elsewhere.status).toBe(201);
  });
});
