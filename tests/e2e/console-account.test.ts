import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { inSteps, totpCode } from "../support/authenticator.js";
import { accessibilityViolations, enterPassword, openConsole, signOut } from "../support/console-page.js";
import { enableTotp, PASSWORD, signUpAndLogin } from "../support/flows.js";
import { readQrCode } from "../support/qr-code.js";
import { useSystem } from "../support/system.js";
import { useChromium } from "../support/webauthn-browser.js";

/** A person's own account in the console, in Chromium: what they see, what they type, what the API then holds. */
const ctx = useSystem();
const chromium = useChromium();
/** A whole sign-up-to-trusted-device story in one test: room for a machine shared with other test runs (each wait has its own 8 s). */
const STORY_TIMEOUT_MS = 60_000;

describe("the console: an account's own security", () => {
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

  it("signs up, scans the QR code, confirms, signs in with a code and 'remember this device', then without one", async () => {
    const tab = await openConsole(chromium.browser, ctx.system.url);
    const { page } = tab;
    const email = `grace-${randomUUID()}@example.com`;
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Name").fill("Grace");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    // The browser's own check stops a short password; the API's problem detail shows for what it alone knows.
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Account created. Sign in to continue.").waitFor();
    await enterPassword(page, email, PASSWORD);
    await page.getByRole("heading", { name: "Login & security" }).waitFor();
    await page.getByText("0 / 100").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // The phone's camera: decode the image the page shows.
    await page.getByRole("button", { name: "Set up authenticator app" }).click();
    const qr = page.getByRole("img", { name: "QR code to scan with your authenticator app" });
    const uri = readQrCode((await qr.getAttribute("src"))!);
    expect(decodeURIComponent(uri)).toMatch(/^otpauth:\/\/totp\/TwoFactor:/);
    expect(decodeURIComponent(uri)).toContain(email);
    const secret = new URL(uri).searchParams.get("secret")!;
    await page.getByText("Can't scan it? Type the key instead").click();
    expect((await page.getByLabel("Setup key").textContent())!.replace(/ /g, "")).toBe(secret);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByLabel("Code from the app").fill("000000");
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("alert").filter({ hasText: /code/i }).waitFor(); // the API's detail, not raw JSON
    expect(await page.getByRole("alert").textContent()).not.toContain("{");
    await page.getByLabel("Code from the app").fill(totpCode(secret, inSteps(-1)));
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    const codes = await page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allTextContents();
    expect(codes).toHaveLength(10);
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download as text" }).click();
    expect((await (await download).path()) && (await readDownload(await download))).toContain(codes[0]);
    await page.getByRole("button", { name: "I have saved them" }).click();
    await page.getByText("55 / 100").waitFor();

    await signOut(page);
    await enterPassword(page, email, PASSWORD);
    await page.getByLabel("Authentication code").fill(totpCode(secret));
    await page.getByLabel("Remember this device for 30 days").check();
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("heading", { name: "Login & security" }).waitFor();
    await page.getByRole("cell", { name: /^Chrom/ }).waitFor(); // the trusted device, listed with its network
    await page.getByRole("cell", { name: "127.0.0.0/24", exact: true }).waitFor();

    await signOut(page);
    await enterPassword(page, email, PASSWORD);
    await page.getByRole("heading", { name: "Login & security" }).waitFor(); // no second factor asked
    await page.getByRole("cell", { name: "Device remembered", exact: true }).first().waitFor(); // the security log

    // A trusted device's session proved no factor: a factor change asks for one first.
    await page.getByRole("button", { name: "Generate new recovery codes" }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
    await dialog.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByLabel("Authentication or recovery code").fill(totpCode(secret, inSteps(1)));
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    expect(await page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allTextContents()).not.toContain(codes[0]);
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, STORY_TIMEOUT_MS);

  it("adds a security key through the browser's prompt, renames it, and signs in with it", async () => {
    const user = await signUpAndLogin(ctx.api, "Linus");
    const { secret } = await enableTotp(ctx.api, user);
    const tab = await openConsole(chromium.browser, ctx.system.url, { securityKey: true });
    const { page } = tab;
    await enterPassword(page, user.email, PASSWORD);
    await page.getByLabel("Authentication code").fill(totpCode(secret));
    await page.getByRole("button", { name: "Verify" }).click();

    await page.getByLabel("Key name").fill("Blue key");
    await page.getByRole("button", { name: "Add security key" }).click();
    await page.getByRole("list", { name: "Your security keys" }).getByText("Blue key").waitFor();
    await page.getByText("100 / 100").waitFor(); // the app, a key, codes left, and so a backup factor
    await page.getByRole("button", { name: "Rename Blue key" }).click();
    await page.getByLabel("New name for Blue key").fill("Desk key");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("list", { name: "Your security keys" }).getByText("Desk key").waitFor();

    await signOut(page);
    await enterPassword(page, user.email, PASSWORD);
    await page.getByLabel("Security key").check();
    await page.getByRole("button", { name: "Use security key" }).click();
    await page.getByRole("heading", { name: "Login & security" }).waitFor();
    await page.getByText(/last used (?!never)/).waitFor();
    const keys = await ctx.api.get("/v1/me/security-keys", user.token);
    expect(keys.body.items.map((key: any) => key.name)).toEqual(["Desk key"]);
    expect(tab.errors).toEqual([]);
    await tab.close();
  });
});

async function readDownload(download: import("playwright-core").Download): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  return readFile((await download.path())!, "utf8");
}
