import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { TOTP, Secret } from "otpauth";
import { chromium, type Browser, type Page } from "playwright-core";
import { startLocalRuntime, type LocalRuntime } from "@twofactor/local";
import { chromiumArgs, chromiumBuild } from "../tests/support/chromium.js";
import { readQrCode } from "../tests/support/qr-code.js";
import { CTAP2_KEY } from "../tests/support/webauthn-browser.js";

/**
 * `npm run screenshots`: the console's main screens, rendered by the Chromium the browser tests use
 * into docs/screenshots/, on a laptop (`<screen>.png`, 1280 wide) and on a phone (`<screen>-phone.png`,
 * 390 wide), plus Login & security in the dark scheme. Each width gets a throwaway system of its own
 * on a free port, so the same made-up people appear in both.
 */
const OUT = fileURLToPath(new URL("../docs/screenshots/", import.meta.url));
const PASSWORD = "correct horse battery staple";
const WIDTHS = [
  { suffix: "", viewport: { width: 1280, height: 800 } },
  { suffix: "-phone", viewport: { width: 390, height: 844 } },
] as const;
const code = (secret: string, stepsAgo = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() - stepsAgo * 30_000 });

await mkdir(OUT, { recursive: true });
const { executablePath, env } = await chromiumBuild();
const browser = await chromium.launch({ executablePath, env, args: chromiumArgs() });
try {
  for (const width of WIDTHS) {
    const system = await startLocalRuntime({ totpIssuer: "TwoFactor" });
    try {
      await story(browser, system, width);
    } finally {
      await system.stop();
    }
  }
} finally {
  await browser.close();
}

async function story(browser: Browser, system: LocalRuntime, { suffix, viewport }: (typeof WIDTHS)[number]): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers read as a frontend would: untyped JSON
  async function call(method: string, path: string, body?: unknown, token?: string): Promise<any> {
    const res = await fetch(system.url + path, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  }
  /** A user with the authenticator app on, made through the API; answers the secret and a session token. */
  async function userWithApp(name: string, email: string): Promise<{ secret: string; token: string }> {
    await call("POST", "/v1/users", { name, email, password: PASSWORD });
    const { session } = await call("POST", "/v1/auth/login", { email, password: PASSWORD });
    const { secret } = await call("POST", "/v1/me/totp", undefined, session.token);
    await call("POST", "/v1/me/totp/activate", { code: code(secret, 1) }, session.token);
    return { secret, token: session.token };
  }
  async function newTab(options: { securityKey?: boolean; dark?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme: options.dark ? "dark" : "light" });
    const page = await context.newPage();
    if (options.securityKey) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("WebAuthn.enable", { enableUI: false });
      await cdp.send("WebAuthn.addVirtualAuthenticator", { options: { ...CTAP2_KEY } });
    }
    await page.goto(system.url);
    return page;
  }
  async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
    await page.evaluate(() => (globalThis as { document?: { activeElement?: { blur(): void } } }).document?.activeElement?.blur());
    await page.screenshot({ path: `${OUT}${name}${suffix}.png`, fullPage });
    console.log(`docs/screenshots/${name}${suffix}.png`);
  }
  async function signIn(page: Page, email: string, secondFactor?: string): Promise<void> {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    if (secondFactor) {
      await page.getByLabel("Authentication code").fill(secondFactor);
      await page.getByRole("button", { name: "Verify" }).click();
    }
  }

  // Ada: signs up, sets up her authenticator app and a security key.
  const ada = await newTab({ securityKey: true });
  await call("POST", "/v1/users", { name: "Ada Lovelace", email: "ada@example.com", password: PASSWORD });
  await ada.getByLabel("Email").fill("ada@example.com");
  await shoot(ada, "sign-in");
  await signIn(ada, "ada@example.com");
  await ada.getByRole("button", { name: "Next - Scan barcode and verify" }).click();
  const qr = ada.getByRole("img", { name: /QR code/ });
  const secret = new URL(readQrCode((await qr.getAttribute("src"))!)).searchParams.get("secret")!;
  await ada.getByText("Can't scan it? Type the key instead").click();
  await shoot(ada, "authenticator-setup", true);
  await ada.getByLabel("Verification code").fill(code(secret, 1));
  await ada.getByRole("button", { name: "Verify", exact: true }).click();
  await ada.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
  await shoot(ada, "recovery-codes");
  await ada.getByRole("button", { name: "I have saved them" }).click();
  await ada.getByRole("tab", { name: "Security Keys" }).click();
  await ada.getByLabel("Key name").fill("Desk YubiKey");
  await ada.getByRole("button", { name: "Add security key" }).click();
  await ada.getByText("100 / 100").waitFor();
  await shoot(ada, "security-keys", true);
  await ada.getByRole("button", { name: "Sign out" }).click();
  await ada.getByText("You are signed out.").waitFor();
  await signIn(ada, "ada@example.com");
  await ada.getByLabel("Recovery code").check();
  await ada.getByLabel("Authenticator app").check();
  await ada.getByLabel("Authentication code").fill(code(secret));
  await ada.getByLabel("Remember this device for 30 days").check();
  await shoot(ada, "second-factor");
  await ada.getByRole("button", { name: "Verify" }).click();
  await ada.getByRole("cell", { name: /Device remembered/ }).first().waitFor();

  // Ada's team: Ben has no second factor yet, Cleo audits.
  await call("POST", "/v1/users", { name: "Ben", email: "ben@example.com", password: PASSWORD });
  const cleo = await userWithApp("Cleo", "cleo@example.com");
  await ada.getByRole("link", { name: "Teams" }).click();
  await ada.getByLabel("Team name").fill("Platform");
  await ada.getByRole("button", { name: "Create team" }).click();
  for (const [email, role] of [["ben@example.com", "member"], ["cleo@example.com", "auditor"]] as const) {
    await ada.getByLabel("Email", { exact: true }).fill(email);
    await ada.getByLabel("Role").selectOption(role);
    await ada.getByRole("button", { name: "Send invitation" }).click();
    await ada.getByRole("status").filter({ hasText: `${email} is invited` }).waitFor();
  }
  const ben = await newTab();
  await signIn(ben, "ben@example.com");
  await ben.getByRole("link", { name: "Teams" }).click();
  await ben.getByRole("button", { name: "Accept the invitation to Platform" }).waitFor();
  await shoot(ben, "invitations");
  await ben.getByRole("button", { name: "Accept the invitation to Platform" }).click();
  await ben.getByRole("status").filter({ hasText: "You joined Platform" }).waitFor();
  const [invitation] = (await call("GET", "/v1/me/invitations", undefined, cleo.token)).items;
  await call("POST", `/v1/me/invitations/${invitation.id}/accept`, undefined, cleo.token);

  // "Enforce 2FA for your Team" on Login & security: the question, then the rollout.
  await ada.getByRole("link", { name: "Login & security" }).click();
  await ada.getByRole("button", { name: "Force 2FA for Platform" }).click();
  await ada.getByRole("dialog", { name: "Force 2FA for Platform?" }).waitFor();
  await shoot(ada, "enforce-2fa");
  await ada.getByRole("dialog").getByRole("button", { name: "Force 2FA for Platform" }).click();
  await ada.getByText(/^Rollout complete/).waitFor();
  await shoot(ada, "security-settings", true);
  await ada.getByRole("link", { name: "Teams" }).click();
  await ada.getByRole("link", { name: "Platform" }).click();
  await ada.getByText("Needs setup").waitFor();
  await shoot(ada, "team", true);

  await ben.getByRole("link", { name: "Login & security" }).click();
  await ben.getByText("Platform requires every member").waitFor();
  await shoot(ben, "setup-required", true);

  await ada.getByRole("link", { name: "Audit log" }).click();
  await ada.getByRole("cell", { name: /Team started enforcing/ }).first().waitFor();
  await shoot(ada, "audit-log", true);

  if (suffix === "-phone") {
    const dark = await newTab({ dark: true });
    await signIn(dark, "cleo@example.com", code(cleo.secret));
    await dark.getByRole("heading", { name: "Login & security" }).waitFor();
    await shoot(dark, "security-settings-dark", true);
  }
}
