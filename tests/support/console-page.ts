import axe from "axe-core";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { CTAP2_KEY } from "./webauthn-browser.js";

/** The two screens every console journey runs on: a laptop in the light scheme, a phone in the dark one. */
export interface ConsoleView {
  name: string;
  viewport: { width: number; height: number };
  colorScheme: "light" | "dark";
  /** A phone's tables are lists and its menu wraps: the tests look for rows or list items accordingly. */
  phone: boolean;
}
export const VIEWS: readonly ConsoleView[] = [
  { name: "1280×800", viewport: { width: 1280, height: 800 }, colorScheme: "light", phone: false },
  { name: "390×844", viewport: { width: 390, height: 844 }, colorScheme: "dark", phone: true },
];

/** A person at the console: a fresh browser context (own cookies and storage) on the console's page. */
export interface ConsoleTab {
  page: Page;
  context: BrowserContext;
  /** What the browser reported as errors: CSP refusals, failed scripts, uncaught exceptions. */
  errors: string[];
  close(): Promise<void>;
}

/** Opens the console at `url` (the API's origin, `http://localhost:PORT/`); with a virtual security key plugged in when asked. */
export async function openConsole(browser: Browser, url: string, options: { securityKey?: boolean; view?: ConsoleView } = {}): Promise<ConsoleTab> {
  const view = options.view ?? VIEWS[0]!;
  const context = await browser.newContext({
    acceptDownloads: true, permissions: [], viewport: view.viewport, colorScheme: view.colorScheme,
  });
  // A wait that fails names what it waited for, well inside the test's own timeout.
  context.setDefaultTimeout(8_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    // A refused call is shown to the person; the browser also logs the 4xx, which is no fault of the page.
    if (message.type() === "error" && !/the server responded with a status of 4\d\d/.test(message.text())) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  if (options.securityKey) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    await cdp.send("WebAuthn.addVirtualAuthenticator", { options: { ...CTAP2_KEY } });
  }
  await page.goto(url);
  return { page, context, errors, close: () => context.close() };
}

/**
 * axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA rules,
 * 2.2's target size among them).
 * Its source is evaluated through the DevTools protocol, which the page's CSP does not govern:
 * the page itself still runs no inline script.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as any).axe.run((globalThis as any).document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
    return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: any) => n.target.join(" ")).slice(0, 3) }));
  });
  return violations
    .filter((v: { impact: string }) => v.impact === "serious" || v.impact === "critical")
    .map((v: { id: string; impact: string; nodes: string[] }) => `${v.impact} ${v.id}: ${v.nodes.join(", ")}`);
}

/** Signs in with email and password; the page then shows the second-factor step, or the signed-in screens. */
export async function enterPassword(page: Page, email: string, password: string): Promise<void> {
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByText("You are signed out.").waitFor();
}

/** The page as a person sees it now: nothing scrolls sideways, and axe finds no serious or critical violation. */
export async function expectSound(page: Page): Promise<void> {
  await expectNoSidewaysScroll(page);
  expect(await accessibilityViolations(page)).toEqual([]);
}

export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  // The tests typecheck without the DOM's types: the page's globals are read as the shape they have.
  const { scrollWidth, innerWidth } = await page.evaluate(() => {
    const window = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
    return { scrollWidth: window.document.documentElement.scrollWidth, innerWidth: window.innerWidth };
  });
  expect(scrollWidth, "the page scrolls sideways").toBeLessThanOrEqual(innerWidth);
}

/** Waits until `locator` has the keyboard focus: where a keyboard or screen-reader user now is. */
export async function expectFocus(locator: Locator): Promise<void> {
  await locator.and(locator.page().locator(":focus")).waitFor();
}
