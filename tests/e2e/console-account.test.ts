import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Download } from "playwright-core";
import { describe, expect, it } from "vitest";
import { inSteps, totpCode } from "../support/authenticator.js";
import { enterPassword, expectFocus, expectNoSidewaysScroll, expectSound, openConsole, signOut, VIEWS } from "../support/console-page.js";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge } from "../support/flows.js";
import { readQrCode } from "../support/qr-code.js";
import { useSystem } from "../support/system.js";
import { useChromium } from "../support/webauthn-browser.js";

/**
 * A person's own account in the console, in Chromium, on a laptop and on a phone: what they see,
 * where the keyboard focus is after each step, that nothing scrolls sideways, and what axe finds.
 */
const ctx = useSystem();
const chromium = useChromium();
/** A whole journey in one test: room for a machine shared with other test runs (each wait has its own 8 s). */
const JOURNEY_TIMEOUT_MS = 60_000;

describe("the console's page", () => {
  it("is served from the API's origin under a strict CSP, and what is not the console stays the API's 404", async () => {
    const page = await fetch(`${ctx.system.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = await page.text();
    expect(html).toMatch(/<script type="module" src="\/assets\/console\.js"><\/script>/);
    expect(html).not.toMatch(/<script>|<style|style=|https?:\/\//);
    expect((await fetch(`${ctx.system.url}/assets/console.js`)).headers.get("content-type")).toMatch(/^text\/javascript/);
    const missing = await fetch(`${ctx.system.url}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });
});

for (const view of VIEWS) {
  describe(`the console at ${view.name}: an account's own security`, () => {
    it("signs up, sets up the app through the QR image, must save the recovery codes, and signs out", async () => {
      const tab = await openConsole(chromium.browser, ctx.system.url, { view });
      const { page } = tab;
      await tab.context.grantPermissions(["clipboard-read", "clipboard-write"]);
      const email = `grace-${randomUUID()}@example.com`;
      await page.getByRole("heading", { name: "Sign in", level: 1 }).waitFor();
      expect(await page.title()).toBe("Sign in · TwoFactor");
      await expectSound(page);

      // A page just loaded leaves focus at its start: the skip link comes first and lands on the screen itself.
      await page.keyboard.press("Tab");
      await expectFocus(page.getByRole("link", { name: "Skip to content" }));
      await page.keyboard.press("Enter");
      await expectFocus(page.getByRole("main"));

      await page.getByRole("link", { name: "Create an account" }).click();
      await expectFocus(page.getByRole("heading", { name: "Create an account" }));
      await expectNoSidewaysScroll(page);
      await page.getByLabel("Name").fill("Grace");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByText("Account created. Sign in to continue.").waitFor();
      await expectFocus(page.getByRole("heading", { name: "Sign in", level: 1 }));
      await enterPassword(page, email, PASSWORD);
      await expectFocus(page.getByRole("heading", { name: "Login & security", level: 1 }));
      expect(await page.title()).toBe("Login & security · TwoFactor");
      await page.getByText("0 / 100").waitFor();
      expect(await page.getByRole("tab", { name: "Two-factor Authentication" }).getAttribute("aria-selected")).toBe("true");
      await page.getByRole("tab", { name: "Security Keys" }).waitFor();
      // Plain links to the apps: nothing of theirs is loaded here.
      const apps = page.getByRole("list", { name: "Authenticator apps" }).getByRole("link");
      expect((await apps.allTextContents()).map((name) => name.replace(" (opens in a new tab)", ""))).toEqual(["Google Authenticator", "Microsoft Authenticator", "1Password", "Authy"]);
      await expectSound(page);

      // The phone's camera: decode the image the page shows.
      await page.getByRole("button", { name: "Next - Scan barcode and verify" }).click();
      await expectFocus(page.getByRole("heading", { name: "Scan the barcode" }));
      const uri = readQrCode((await page.getByRole("img", { name: "QR code to scan with your authenticator app" }).getAttribute("src"))!);
      expect(decodeURIComponent(uri)).toMatch(/^otpauth:\/\/totp\/TwoFactor:/);
      expect(decodeURIComponent(uri)).toContain(email);
      const secret = new URL(uri).searchParams.get("secret")!;
      await page.getByText("Can't scan it? Type the key instead").click();
      expect((await page.getByLabel("Setup key").textContent())!.replace(/ /g, "")).toBe(secret);
      await expectSound(page);

      await page.getByLabel("Verification code").fill("000000");
      await page.getByRole("button", { name: "Verify", exact: true }).click();
      await page.getByRole("alert").filter({ hasText: "That code did not work" }).waitFor(); // the words for `invalid_code`, not the API's detail
      await page.getByLabel("Verification code").fill(totpCode(secret, inSteps(-1)));
      await page.getByRole("button", { name: "Verify", exact: true }).click();

      // The codes are a step of their own: a dialog that only "I have saved them" closes.
      const dialog = page.getByRole("dialog", { name: "Save your recovery codes" });
      await expectFocus(dialog.getByRole("heading", { name: "Save your recovery codes" }));
      await dialog.getByText("Two-factor authentication is on.").waitFor();
      const codes = await dialog.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allTextContents();
      expect(codes).toHaveLength(10);
      await expectSound(page);
      await page.keyboard.press("Escape");
      await dialog.getByRole("button", { name: "Copy" }).click(); // still open: Escape did not dismiss it
      await dialog.getByText("Copied.").waitFor();
      expect(await page.evaluate<string>("navigator.clipboard.readText()")).toBe(codes.join("\n"));
      const download = page.waitForEvent("download");
      await dialog.getByRole("button", { name: "Download" }).click();
      expect(await readDownload(await download)).toContain(codes[0]);
      await dialog.getByRole("button", { name: "I have saved them" }).click();
      await expectFocus(page.getByRole("heading", { name: "Login & security", level: 1 }));
      await page.getByText("55 / 100").waitFor();
      await page.getByText("10 of 10 unused").waitFor();
      await expectNoSidewaysScroll(page);

      await signOut(page);
      await expectFocus(page.getByRole("heading", { name: "Sign in", level: 1 }));
      expect(tab.errors).toEqual([]);
      await tab.close();
    }, JOURNEY_TIMEOUT_MS);

    it("signs in with a recovery code after switching from the app; a lock says its minutes", async () => {
      const user = await signUpAndLogin(ctx.api, "Lin");
      const { recoveryCodes } = await enableTotp(ctx.api, user);
      const locked = await signUpAndLogin(ctx.api, "Locked");
      const { secret: lockedSecret } = await enableTotp(ctx.api, locked);
      const challenge = await startChallenge(ctx.api, locked);
      for (let attempt = 0; attempt < 5; attempt++) await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: "000000" });

      const tab = await openConsole(chromium.browser, ctx.system.url, { view });
      const { page } = tab;
      await enterPassword(page, locked.email, PASSWORD);
      await page.getByLabel("Authentication code").fill(totpCode(lockedSecret));
      await page.getByRole("button", { name: "Verify" }).click();
      await page.getByRole("alert").filter({ hasText: "Too many wrong attempts. Try again in 15 minutes." }).waitFor();
      await page.getByRole("button", { name: "Start over" }).click();

      await enterPassword(page, user.email, PASSWORD);
      await expectFocus(page.getByLabel("Authentication code"));
      expect(await page.title()).toBe("Two-factor authentication · TwoFactor");
      await expectSound(page);
      await page.getByLabel("Recovery code").check(); // the radio: its own input follows
      await expectFocus(page.getByRole("radio", { name: "Recovery code" }));
      const field = page.getByRole("textbox", { name: "Recovery code" });
      expect(await field.getAttribute("pattern")).toBeNull();
      expect(await field.getAttribute("inputmode")).toBeNull();
      await field.fill(recoveryCodes[0]!.toUpperCase());
      await page.getByRole("button", { name: "Verify" }).click();
      await expectFocus(page.getByRole("heading", { name: "Login & security", level: 1 }));
      await page.getByText("9 of 10 unused").waitFor();
      await page.getByRole("cell", { name: "Recovery code used · to sign in, 9 left" }).waitFor();
      await expectSound(page);

      // And back: the app's input comes back as the app's.
      await signOut(page);
      await enterPassword(page, user.email, PASSWORD);
      await page.getByLabel("Recovery code").check();
      await page.getByLabel("Authenticator app").check();
      expect(await page.getByRole("textbox", { name: "Authentication code" }).getAttribute("inputmode")).toBe("numeric");
      expect(tab.errors).toEqual([]);
      await tab.close();
    }, JOURNEY_TIMEOUT_MS);

    it("remembers the device, forgets it after a factor change, and says so when the session ends elsewhere", async () => {
      const user = await signUpAndLogin(ctx.api, "Ada");
      const { secret } = await enableTotp(ctx.api, user);
      const tab = await openConsole(chromium.browser, ctx.system.url, { view });
      const { page } = tab;
      await enterPassword(page, user.email, PASSWORD);
      await page.getByLabel("Authentication code").fill(totpCode(secret));
      await page.getByLabel("Remember this device for 30 days").check();
      await page.getByRole("button", { name: "Verify" }).click();
      await expectFocus(page.getByRole("heading", { name: "Login & security", level: 1 }));
      const devices = page.getByRole("table", { name: "Trusted devices" });
      await devices.getByRole("cell", { name: /^(Device: )?Chrom/ }).waitFor(); // listed with its network (on a phone, "Device: Chrome …")
      await devices.getByRole("cell", { name: /^(Network: )?127\.0\.0\.0\/24$/ }).waitFor();
      await expectSound(page);

      await signOut(page);
      await enterPassword(page, user.email, PASSWORD);
      await expectFocus(page.getByRole("heading", { name: "Login & security", level: 1 })); // no second factor asked
      await page.getByRole("cell", { name: /Device remembered · Chrom/ }).first().waitFor(); // the security log, in words
      // What was mailed says so, once the notifier has had the events.
      await ctx.system.bus.idle();
      await page.getByRole("button", { name: "Refresh" }).click();
      await page.getByRole("cell", { name: /Device remembered · Chrom.* mailed$/ }).first().getByRole("img", { name: "mailed" }).waitFor();

      // New codes: asked first, then (a remembered device proved no factor) a fresh second factor, then the codes.
      await page.getByRole("button", { name: "Generate new recovery codes" }).click();
      const question = page.getByRole("dialog", { name: "Make new recovery codes?" });
      await expectFocus(question.getByRole("button", { name: "Cancel" }));
      await question.getByText("Your current recovery codes stop working at once.").waitFor();
      await question.getByRole("button", { name: "Make new codes" }).click();
      const reauth = page.getByRole("dialog", { name: "Verify it's you" });
      await expectFocus(reauth.getByLabel("Code from your authenticator app, or a recovery code"));
      await expectSound(page);
      await reauth.getByLabel("Code from your authenticator app, or a recovery code").fill(totpCode(secret, inSteps(1)));
      await reauth.getByRole("button", { name: "Verify" }).click();
      const codes = page.getByRole("dialog", { name: "Save your recovery codes" });
      await codes.getByText("New recovery codes made: your old codes no longer work.").waitFor();
      await codes.getByRole("button", { name: "I have saved them" }).click();
      await expectFocus(page.getByRole("button", { name: "Generate new recovery codes" }));
      await page.getByText("No trusted devices.").waitFor(); // a factor change forgot them, and the card says so at once

      // The session ends elsewhere (here: signed out through the API): the next step says so.
      const token = await page.evaluate<string>(`JSON.parse(sessionStorage.getItem("twofactor.session")).token`);
      expect((await ctx.api.post("/v1/auth/logout", undefined, token)).status).toBe(204);
      await page.getByRole("link", { name: "Teams" }).click();
      await page.getByText("Your session ended: it expired, or you signed out in another tab. Sign in again.").waitFor();
      await expectFocus(page.getByRole("heading", { name: "Sign in", level: 1 }));
      expect(tab.errors).toEqual([]);
      await tab.close();
    }, JOURNEY_TIMEOUT_MS);

    it("adds a security key on its tab through the browser's prompt, keeps it when the removal is cancelled, and signs in with it", async () => {
      const user = await signUpAndLogin(ctx.api, "Linus");
      const { secret } = await enableTotp(ctx.api, user);
      const tab = await openConsole(chromium.browser, ctx.system.url, { view, securityKey: true });
      const { page } = tab;
      await enterPassword(page, user.email, PASSWORD);
      await page.getByLabel("Authentication code").fill(totpCode(secret));
      await page.getByRole("button", { name: "Verify" }).click();

      await page.getByRole("tab", { name: "Two-factor Authentication" }).focus();
      await page.keyboard.press("ArrowRight"); // the tabs' keyboard pattern
      await expectFocus(page.getByRole("tab", { name: "Security Keys" }));
      await page.getByLabel("Key name").fill("Blue key");
      await page.getByRole("button", { name: "Add security key" }).click();
      const keys = page.getByRole("list", { name: "Your security keys" });
      await keys.getByText("Blue key").waitFor();
      await page.getByText("100 / 100").waitFor(); // the app, a key, codes left, and so a backup factor
      await expectSound(page);

      await page.getByRole("button", { name: "Remove Blue key" }).click();
      const question = page.getByRole("dialog", { name: "Remove Blue key?" });
      await expectFocus(question.getByRole("button", { name: "Cancel" }));
      await expectSound(page);
      await page.keyboard.press("Escape");
      await question.waitFor({ state: "detached" });
      await expectFocus(page.getByRole("button", { name: "Remove Blue key" }));
      await page.getByRole("button", { name: "Rename Blue key" }).click();
      await expectFocus(page.getByLabel("New name for Blue key"));
      await page.getByLabel("New name for Blue key").fill("Desk key");
      await page.getByRole("button", { name: "Save" }).click();
      await keys.getByText("Desk key").waitFor();

      await signOut(page);
      await enterPassword(page, user.email, PASSWORD);
      await page.getByLabel("Security key").check();
      await page.getByRole("button", { name: "Use security key" }).click();
      await expectFocus(page.getByRole("heading", { name: "Login & security", level: 1 }));
      await page.getByRole("tab", { name: "Security Keys" }).click();
      await page.getByText(/last used (?!never)/).waitFor();
      const listed = await ctx.api.get("/v1/me/security-keys", user.token);
      expect(listed.body.items.map((key: any) => key.name)).toEqual(["Desk key"]);
      expect(tab.errors).toEqual([]);
      await tab.close();
    }, JOURNEY_TIMEOUT_MS);
  });
}

async function readDownload(download: Download): Promise<string> {
  return readFile((await download.path())!, "utf8");
}
