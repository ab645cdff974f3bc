import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { inSteps, totpCode } from "../support/authenticator.js";
import { accessibilityViolations, enterPassword, openConsole, type ConsoleTab } from "../support/console-page.js";
import { enableTotp, PASSWORD, signUpAndLogin, type TestUser } from "../support/flows.js";
import { readQrCode } from "../support/qr-code.js";
import { useSystem } from "../support/system.js";
import { addMember, createTeam, put } from "../support/teams.js";
import { useChromium } from "../support/webauthn-browser.js";

/** Teams in the console, in Chromium: an owner enforces 2FA and watches it spread; a member is held to setup; an auditor exports the log. */
const ctx = useSystem();
const chromium = useChromium();
/** Three people and a dozen screens in one story: room for a machine shared with other test runs (each wait has its own 8 s). */
const STORY_TIMEOUT_MS = 60_000;

async function signInWithCode(tab: ConsoleTab, user: TestUser, secret: string): Promise<void> {
  await enterPassword(tab.page, user.email, PASSWORD);
  await tab.page.getByLabel("Authentication code").fill(totpCode(secret));
  await tab.page.getByRole("button", { name: "Verify" }).click();
  await tab.page.getByRole("heading", { name: "Login & security" }).waitFor();
}

describe("the console: teams", () => {
  it("an owner enforces 2FA and watches the rollout reach 100%; a member without 2FA sees only setup, sets up, and gets in", async () => {
    const owner = await signUpAndLogin(ctx.api, "Owner");
    const { secret } = await enableTotp(ctx.api, owner);
    const member = await signUpAndLogin(ctx.api, "Member");
    const admin = await signUpAndLogin(ctx.api, "Admin");
    await enableTotp(ctx.api, admin);

    const owners = await openConsole(chromium.browser, ctx.system.url);
    await signInWithCode(owners, owner, secret);
    const { page } = owners;
    await page.getByRole("link", { name: "Teams" }).click();
    await page.getByLabel("Team name").fill("Platform");
    await page.getByRole("button", { name: "Create team" }).click();
    await page.getByRole("heading", { name: "Platform" }).waitFor();
    for (const [who, role] of [[member, "member"], [admin, "admin"]] as const) {
      await page.getByLabel("Email", { exact: true }).fill(who.email);
      await page.getByLabel("Role").selectOption(role);
      await page.getByRole("button", { name: "Send invitation" }).click();
      await page.getByRole("status").filter({ hasText: `${who.email} is invited as ${role}` }).waitFor();
    }
    // An address with no account is invited alike (no probing for accounts), and withdrawn.
    await page.getByLabel("Email", { exact: true }).fill("nobody@example.com");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("button", { name: "Withdraw the invitation to nobody@example.com" }).click();
    await page.getByRole("status").filter({ hasText: "The invitation to nobody@example.com is withdrawn." }).waitFor();

    // The member says yes in their own console; the admin through the API.
    const members = await openConsole(chromium.browser, ctx.system.url);
    await enterPassword(members.page, member.email, PASSWORD);
    await members.page.getByRole("heading", { name: "Login & security" }).waitFor();
    await members.page.getByRole("link", { name: "Teams" }).click();
    await members.page.getByRole("button", { name: "Accept the invitation to Platform" }).click();
    await members.page.getByRole("status").filter({ hasText: "You joined Platform as member." }).waitFor();
    await members.page.getByRole("link", { name: "Platform" }).waitFor();
    const [adminInvitation] = (await ctx.api.get("/v1/me/invitations", admin.token)).body.items;
    expect((await ctx.api.post(`/v1/me/invitations/${adminInvitation.id}/accept`, undefined, admin.token)).status).toBe(201);
    await page.reload();
    await page.getByRole("cell", { name: member.email, exact: true }).waitFor();

    await page.getByRole("button", { name: "Force 2FA for Platform" }).click();
    await page.getByText(/^100% · 3 of 3 members processed, 1 need to set up 2FA$/).waitFor();
    expect(await page.getByRole("progressbar").getAttribute("value")).toBe("100");
    await page.getByRole("row", { name: new RegExp(member.email) }).getByText("Needs setup").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // Held from the next request on: the member's console, opened again on its first screen.
    await members.page.evaluate("location.hash = '#/'");
    await members.page.reload();
    await members.page.getByRole("heading", { name: "Set up two-factor authentication" }).waitFor();
    await members.page.getByText("A team you belong to requires every member").waitFor();
    await members.page.getByText("Team: Platform").waitFor();
    expect(await members.page.getByRole("link", { name: "Teams" }).count()).toBe(0); // only setup
    expect(await accessibilityViolations(members.page)).toEqual([]);
    await members.page.getByRole("button", { name: "Set up authenticator app" }).click();
    const uri = readQrCode((await members.page.getByRole("img", { name: /QR code/ }).getAttribute("src"))!);
    await members.page.getByLabel("Code from the app").fill(totpCode(new URL(uri).searchParams.get("secret")!, inSteps(-1)));
    await members.page.getByRole("button", { name: "Confirm" }).click();
    await members.page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    await members.page.getByRole("button", { name: "I have saved them" }).click();
    await members.page.getByRole("heading", { name: "Login & security" }).waitFor();
    await members.page.getByRole("link", { name: "Teams" }).click();
    await members.page.getByRole("link", { name: "Platform" }).waitFor(); // the team that held them

    await page.reload();
    await page.getByRole("row", { name: new RegExp(member.email) }).getByText("On").waitFor();
    expect([...owners.errors, ...members.errors]).toEqual([]);
    await owners.close();
    await members.close();
  }, STORY_TIMEOUT_MS);

  it("an auditor filters the audit log and downloads it as CSV", async () => {
    const owner = await signUpAndLogin(ctx.api, "Owner");
    await enableTotp(ctx.api, owner);
    const auditor = await signUpAndLogin(ctx.api, "Auditor");
    const { secret } = await enableTotp(ctx.api, auditor);
    const team = await createTeam(ctx.api, owner, "Finance");
    await addMember(ctx.api, team, owner, auditor, "auditor");
    expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token)).status).toBe(202);

    const tab = await openConsole(chromium.browser, ctx.system.url);
    await signInWithCode(tab, auditor, secret);
    const { page } = tab;
    await page.getByRole("link", { name: "Teams" }).click();
    await page.getByRole("link", { name: "Finance" }).click(); // from the teams the auditor belongs to
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    await page.getByLabel("Event type").selectOption("TeamEnforcementEnabled");
    await page.getByRole("cell", { name: /^Signed in/ }).first().waitFor(); // the auditor's own sign-in, before filtering
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByRole("cell", { name: /^Signed in/ }).first().waitFor({ state: "detached" });
    expect(await page.getByRole("cell", { name: "Team started enforcing two-factor authentication" }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download CSV" }).click();
    const csv = (await readFile((await (await download).path())!, "utf8")).trimEnd().split("\r\n");
    expect((await download).suggestedFilename()).toMatch(new RegExp(`^audit-log-${team}-\\d{4}-\\d\\d-\\d\\d\\.csv$`));
    expect(csv[0]).toBe("eventId,type,occurredAt,actor,userId,teamId,ip,userAgent,detail");
    expect(csv.slice(1).map((row) => row.split(",")[1])).toEqual(["TeamEnforcementEnabled"]);
    expect(tab.errors).toEqual([]);
    await tab.close();
  });
});
