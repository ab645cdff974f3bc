import { fileURLToPath } from "node:url";
import { chromium, type Browser, type CDPSession, type Page } from "playwright-core";
import { beforeAll } from "vitest";
import { chromiumArgs, chromiumBuild } from "./chromium.js";

/**
 * The Chromium of @sparticuz/chromium driven by playwright-core, with CDP virtual authenticators
 * standing in for physical FIDO2 / U2F security keys, and @simplewebauthn/browser doing what a
 * frontend does.
 */

/** The bundle's `exports` hide it from require.resolve; it sits at a fixed path in the package. */
const BUNDLE = fileURLToPath(new URL("../../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js", import.meta.url));

export const CTAP2_KEY = {
  protocol: "ctap2", transport: "usb", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
} as const;
export const U2F_KEY = {
  protocol: "u2f", transport: "usb", hasResidentKey: false, hasUserVerification: false, automaticPresenceSimulation: true,
} as const;

export type AuthenticatorOptions = typeof CTAP2_KEY | typeof U2F_KEY;

export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

/** One browser tab with one virtual security key plugged in. */
export class KeyTab {
  constructor(readonly page: Page, readonly cdp: CDPSession, readonly authenticatorId: string) {}

  /** `startRegistration` in the page; answers the RegistrationResponseJSON, or `{ error: name }` when the browser refuses. */
  register(optionsJSON: unknown): Promise<any> {
    return this.ceremony("startRegistration", optionsJSON);
  }

  /** `startAuthentication` in the page; answers the AuthenticationResponseJSON, or `{ error: name }`. */
  authenticate(optionsJSON: unknown): Promise<any> {
    return this.ceremony("startAuthentication", optionsJSON);
  }

  private ceremony(step: "startRegistration" | "startAuthentication", optionsJSON: unknown): Promise<any> {
    return this.page.evaluate(async ({ step, options }) => {
      try {
        return await (globalThis as any).SimpleWebAuthnBrowser[step]({ optionsJSON: options });
      } catch (error) {
        return { error: (error as Error).name, code: (error as { code?: string }).code };
      }
    }, { step, options: optionsJSON });
  }

  async credentials(): Promise<VirtualCredential[]> {
    const { credentials } = await this.cdp.send("WebAuthn.getCredentials", { authenticatorId: this.authenticatorId });
    return credentials as VirtualCredential[];
  }

  async addCredential(credential: VirtualCredential): Promise<void> {
    await this.cdp.send("WebAuthn.addCredential", { authenticatorId: this.authenticatorId, credential });
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

export async function launchChromium(): Promise<Browser> {
  const { executablePath, env } = await chromiumBuild();
  try {
    return await chromium.launch({ executablePath, env, args: chromiumArgs() });
  } catch (error) {
    throw new Error(`Chromium (${executablePath}) did not start: ${(error as Error).message}`, { cause: error });
  }
}

/** This test process's Chromium, launched by the first file that asks and shared by the files after it. */
let shared: Promise<Browser> | undefined;

/**
 * The Chromium of the test process (files share a worker): launched before the first test that
 * asks, kept for the next files — each test opens its own context, so nothing carries over — and
 * closed by Playwright when the process exits. A launch costs about 3 s of CPU. When no browser can
 * be had, each test that asks for it fails with the reason (a failing hook would leave the tests
 * reported as skipped).
 */
export function useChromium(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  let failure: Error | undefined;
  beforeAll(async () => {
    try {
      if (shared && !(await shared.then((b) => b.isConnected(), () => false))) shared = undefined;
      shared ??= launchChromium();
      browser = await shared;
    } catch (error) {
      shared = undefined;
      failure = error as Error;
    }
  });
  return {
    get browser(): Browser {
      if (failure) throw failure;
      return browser!;
    },
  };
}

/**
 * Opens a tab on the API's own origin (`http://localhost:PORT`, a secure context whose RP ID is
 * `localhost`), loads the SimpleWebAuthn browser bundle, and plugs in a virtual authenticator.
 */
export async function openKeyTab(browser: Browser, baseUrl: string, options: AuthenticatorOptions = CTAP2_KEY): Promise<KeyTab> {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/v1/health`);
  await page.setContent("<!doctype html><title>security keys</title>");
  await page.addScriptTag({ path: BUNDLE });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", { options: { ...options } });
  return new KeyTab(page, cdp, authenticatorId);
}
