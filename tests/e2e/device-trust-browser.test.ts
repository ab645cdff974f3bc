import { describe, expect, it } from "vitest";
import { enableTotp, PASSWORD, signUpAndLogin } from "../support/flows.js";
import { totpCode } from "../support/authenticator.js";
import { useSystem } from "../support/system.js";
import { useChromium } from "../support/webauthn-browser.js";

/** The device-trust cookie as a real browser handles it: set by the browser itself, sent back, unreadable by scripts. */
const ctx = useSystem();
const chromium = useChromium();

describe("remember this device, in Chromium", () => {
  it("sets the cookie from the challenge answer, skips the second factor next time, and hides it from document.cookie", async () => {
    const user = await signUpAndLogin(ctx.api, "Browser");
    const { secret } = await enableTotp(ctx.api, user);
    const page = await chromium.browser.newPage();
    await page.goto(`${ctx.system.url}/v1/health`);

    const signIn = (code: string | null) => page.evaluate(async ({ email, password, code }) => {
      const post = (path: string, body: unknown) => fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
        .then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
      const login = await post("/v1/auth/login", { email, password });
      if (login.body.status !== "two_factor_required" || code === null) return { login, challenge: null, cookies: (globalThis as any).document.cookie as string };
      const challenge = await post(`/v1/auth/challenges/${login.body.challenge.id}/totp`, { code, rememberDevice: true });
      return { login, challenge, cookies: (globalThis as any).document.cookie as string };
    }, { email: user.email, password: PASSWORD, code });

    const first = await signIn(totpCode(secret));
    expect(first.login.body.status).toBe("two_factor_required");
    expect(first.challenge?.status).toBe(201);
    const stored = (await page.context().cookies()).find((c) => c.name === "device_trust");
    expect(stored).toMatchObject({ value: first.challenge?.body.deviceToken, httpOnly: true, secure: true, sameSite: "Strict", path: "/v1/auth" });
    expect(first.cookies).not.toContain("device_trust");

    const second = await signIn(null);
    expect(second.login.status).toBe(201);
    expect(second.login.body.status).toBe("authenticated");
    await page.close();
  });
});
