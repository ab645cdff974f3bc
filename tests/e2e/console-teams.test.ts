import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { inSteps, totpCode } from "../support/authenticator.js";
import { testClock, travel } from "../support/clock.js";
import { enterPassword, expectFocus, expectNoSidewaysScroll, expectSound, openConsole, VIEWS, type ConsoleTab } from "../support/console-page.js";
import { enableTotp, PASSWORD, signUpAndLogin, type TestUser } from "../support/flows.js";
import { readQrCode } from "../support/qr-code.js";
import { useSystem } from "../support/system.js";
import { addMember, createTeam, put } from "../support/teams.js";
import { useChromium } from "../support/webauthn-browser.js";

/**
 * Teams in the console, in Chromium, on a laptop and on a phone: invitations, an owner forcing 2FA
 * and watching it spread, a member held to setup, an auditor's log, a reset cancelled by its member.
 */
const ctx = useSystem();
const chromium = useChromium();
/** Two people and a dozen screens in one journey: room for a machine shared with other test runs (each wait has its own 8 s). */
const JOURNEY_TIMEOUT_MS = 60_000;

async function signInWithCode(tab: ConsoleTab, user: TestUser, secret: string): Promise<void> {
  await enterPassword(tab.page, user.email, PASSWORD);
  await tab.page.getByLabel("Authentication code").fill(totpCode(secret));
  await tab.page.getByRole("button", { name: "Verify" }).click();
  await expectFocus(tab.page.getByRole("heading", { name: "Login & security", level: 1 }));
}

for (const view of VIEWS) {
  describe(`the console at ${view.name}: teams`, () => {
    it("an invitation is accepted; the owner forces 2FA after a confirmation and watches it complete; the held member sets up", async () => {
      const owner = await signUpAndLogin(ctx.api, "Owner");
      const { secret } = await enableTotp(ctx.api, owner);
      const member = await signUpAndLogin(ctx.api, "Member");

      const owners = await openConsole(chromium.browser, ctx.system.url, { view });
      const { page } = owners;
      await signInWithCode(owners, owner, secret);
      await page.getByRole("link", { name: "Teams" }).click();
      await expectFocus(page.getByRole("heading", { name: "Teams", level: 1 }));
      await page.getByLabel("Team name").fill("Platform");
      await page.getByRole("button", { name: "Create team" }).click();
      await expectFocus(page.getByRole("heading", { name: "Platform", level: 1 }));
      expect(await page.title()).toBe("Platform · TwoFactor");
      for (const email of [member.email, "nobody@example.com"]) {
        await page.getByLabel("Email", { exact: true }).fill(email);
        await page.getByRole("button", { name: "Send invitation" }).click();
        await page.getByRole("status").filter({ hasText: `${email} is invited as member. They join once they accept.` }).waitFor();
      }
      // An address with no account is invited alike (no probing for accounts), and withdrawn after a question.
      await page.getByRole("button", { name: "Withdraw the invitation to nobody@example.com" }).click();
      const withdraw = page.getByRole("dialog", { name: "Withdraw the invitation to nobody@example.com?" });
      await expectFocus(withdraw.getByRole("button", { name: "Cancel" }));
      await withdraw.getByRole("button", { name: "Withdraw invitation" }).click();
      await page.getByRole("status").filter({ hasText: "The invitation to nobody@example.com is withdrawn." }).waitFor();
      await expectFocus(page.getByRole("heading", { name: "Invite someone" }));
      const open = page.getByRole("list", { name: "Open invitations" }).getByRole("listitem");
      expect(await open.allTextContents()).toEqual([expect.stringMatching(new RegExp(`^${member.email} · Member · invited by you, open until`))]);
      await expectSound(page);

      // The member says yes in their own console.
      const members = await openConsole(chromium.browser, ctx.system.url, { view });
      await enterPassword(members.page, member.email, PASSWORD);
      await members.page.getByRole("link", { name: "Teams" }).click();
      await members.page.getByText("Owner invited you as member").waitFor();
      await expectSound(members.page);
      await members.page.getByRole("button", { name: "Accept the invitation to Platform" }).click();
      await members.page.getByRole("status").filter({ hasText: "You joined Platform as member." }).waitFor();
      await expectFocus(members.page.getByRole("heading", { name: "Your teams" }));
      await members.page.getByRole("link", { name: "Platform" }).waitFor();

      // "Enforce 2FA for your Team" on Login & security, as the brief has it: the green button, a question that names who is held.
      await page.getByRole("link", { name: "Login & security" }).click();
      await expectFocus(page.getByRole("heading", { name: "Login & security", level: 1 }));
      const enforce = page.getByRole("region", { name: "Enforce 2FA for your Team" });
      await enforce.getByRole("button", { name: "Force 2FA for Platform" }).click();
      const force = page.getByRole("dialog", { name: "Force 2FA for Platform?" });
      await force.getByText(`1 of 2 members have not set up two-factor authentication: ${member.email}.`).waitFor();
      await expectFocus(force.getByRole("button", { name: "Cancel" }));
      await expectSound(page);
      await force.getByRole("button", { name: "Force 2FA for Platform" }).click();
      await enforce.getByText("Rollout complete: 2 of 2 members checked.").waitFor();
      await enforce.getByText(`1 member still needs to set up two-factor authentication: ${member.email}.`).waitFor();
      await enforce.getByRole("button", { name: "Stop enforcing 2FA for Platform" }).waitFor();
      await expectNoSidewaysScroll(page);

      // Held from the member's next step: the menu goes, and the screen says which team asks.
      await members.page.getByRole("link", { name: "Login & security" }).click();
      await expectFocus(members.page.getByRole("heading", { name: "Set up two-factor authentication", level: 1 }));
      await members.page.getByText("A team now requires you to set up two-factor authentication before you go on.").waitFor();
      await members.page.getByText("Platform requires every member to use two-factor authentication.").waitFor();
      expect(await members.page.getByRole("link", { name: "Teams" }).count()).toBe(0);
      await expectSound(members.page);
      await members.page.getByRole("button", { name: "Next - Scan barcode and verify" }).click();
      await expectFocus(members.page.getByRole("heading", { name: "Scan the barcode" }));
      const uri = readQrCode((await members.page.getByRole("img", { name: /QR code/ }).getAttribute("src"))!);
      await members.page.getByLabel("Verification code").fill(totpCode(new URL(uri).searchParams.get("secret")!, inSteps(-1)));
      await members.page.getByRole("button", { name: "Verify", exact: true }).click();
      const codes = members.page.getByRole("dialog", { name: "Save your recovery codes" });
      await expectFocus(codes.getByRole("heading", { name: "Save your recovery codes" }));
      await codes.getByText("Two-factor authentication is on.").waitFor();
      await codes.getByRole("button", { name: "I have saved them" }).click();
      await expectFocus(members.page.getByRole("heading", { name: "Login & security", level: 1 }));
      await members.page.getByRole("link", { name: "Teams" }).waitFor();

      // The owner's count follows the members, not the rollout's snapshot.
      await page.reload();
      await enforce.getByText("Every member has set up two-factor authentication.").waitFor();
      expect([...owners.errors, ...members.errors]).toEqual([]);
      await owners.close();
      await members.close();
    }, JOURNEY_TIMEOUT_MS);

    it("an auditor filters the audit log in words, sees people instead of ids, and downloads it as CSV", async () => {
      const owner = await signUpAndLogin(ctx.api, "Owner");
      await enableTotp(ctx.api, owner);
      const auditor = await signUpAndLogin(ctx.api, "Auditor");
      const { secret } = await enableTotp(ctx.api, auditor);
      const team = await createTeam(ctx.api, owner, "Finance");
      await addMember(ctx.api, team, owner, auditor, "auditor");
      expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token)).status).toBe(202);

      const tab = await openConsole(chromium.browser, ctx.system.url, { view });
      await signInWithCode(tab, auditor, secret);
      const { page } = tab;
      await page.getByRole("link", { name: "Teams" }).click();
      await page.getByRole("link", { name: "Finance" }).click(); // from the teams the auditor belongs to
      await page.getByRole("link", { name: "Audit log" }).click();
      await expectFocus(page.getByRole("heading", { name: "Audit log", level: 1 }));
      await page.getByRole("link", { name: "Back to Finance" }).waitFor();
      expect(await page.title()).toBe("Audit log · Finance · TwoFactor");
      const events = page.getByRole("table", { name: "Audit events, newest first" });
      await events.getByRole("cell", { name: /Signed in · with the authenticator app/ }).first().waitFor(); // the auditor's own sign-in
      await expectSound(page);
      const shown = await events.textContent();
      for (const id of [owner.id, auditor.id, team]) expect(shown).not.toContain(id);

      await page.getByLabel("Event type").selectOption({ label: "Team started enforcing two-factor authentication" });
      await page.getByRole("button", { name: "Apply filters" }).click();
      await events.getByRole("cell", { name: /Signed in/ }).first().waitFor({ state: "detached" });
      const row = events.getByRole("row", { name: /Team started enforcing two-factor authentication/ });
      expect(await row.count()).toBe(1);
      await row.getByRole("cell", { name: /^(By: )?someone$/ }).waitFor(); // an auditor may not list the members: no id, a word
      await expectNoSidewaysScroll(page);

      const download = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download CSV" }).click();
      const csv = (await readFile((await (await download).path())!, "utf8")).trimEnd().split("\r\n");
      expect((await download).suggestedFilename()).toMatch(new RegExp(`^audit-log-${team}-\\d{4}-\\d\\d-\\d\\d\\.csv$`));
      expect(csv[0]).toBe("eventId,type,occurredAt,actor,userId,teamId,ip,userAgent,detail");
      expect(csv.slice(1).map((line) => line.split(",")[1])).toEqual(["TeamEnforcementEnabled"]);
      expect(tab.errors).toEqual([]);
      await tab.close();
    }, JOURNEY_TIMEOUT_MS);

    it("a member sees the reset an owner asked for on Login & security, cancels it by verifying, and is told when the next one ends the session", async () => {
      const owner = await signUpAndLogin(ctx.api, "Owner");
      await enableTotp(ctx.api, owner);
      const member = await signUpAndLogin(ctx.api, "Member");
      const { secret } = await enableTotp(ctx.api, member);
      const team = await createTeam(ctx.api, owner, "Support");
      await addMember(ctx.api, team, owner, member, "member");

      // Signed in before the reset is asked for: signing in with a second factor would itself cancel it.
      const tab = await openConsole(chromium.browser, ctx.system.url, { view });
      const { page } = tab;
      await signInWithCode(tab, member, secret);
      const asked = await ctx.api.post(`/v1/teams/${team}/members/${member.id}/two-factor-reset`, undefined, owner.token);
      expect(asked.status).toBe(202);
      await page.getByRole("link", { name: "Teams" }).click();
      await page.getByRole("link", { name: "Login & security" }).click();
      const pending = page.getByRole("region", { name: "A reset of your two-factor authentication is pending" });
      await pending.getByText("An admin of Support asked for it").waitFor();
      await expectSound(page);
      await pending.getByRole("button", { name: "Cancel: verify it's you" }).click();
      const verify = page.getByRole("dialog", { name: "Verify it's you" });
      const field = verify.getByLabel("Code from your authenticator app, or a recovery code");
      await expectFocus(field);
      await field.fill(totpCode(secret, inSteps(1)));
      await verify.getByRole("button", { name: "Verify" }).click();
      await expectFocus(page.getByRole("heading", { name: "The reset is cancelled" }));
      await pending.waitFor({ state: "detached" });
      await expectSound(page);
      expect((await ctx.api.get("/v1/me", member.token)).body.user.twoFactor.pendingReset).toBeNull();

      // Asked again and left to take effect: the session it ends says why.
      const again = await ctx.api.post(`/v1/teams/${team}/members/${member.id}/two-factor-reset`, undefined, owner.token);
      expect(again.status).toBe(202);
      await page.getByRole("link", { name: "Teams" }).click();
      await page.getByRole("link", { name: "Login & security" }).click();
      await pending.waitFor();
      const later = travel(ctx.system, Date.parse(again.body.reset.effectiveAt) - testClock.now().getTime() + 1000);
      try {
        // The next request fails, be it the screen's own reads still under way or this navigation.
        await page.evaluate("location.hash = '#/teams'");
        // Which of the two words it picks depends on the browser's clock, which the server's test clock (shared by the files of a worker) may lead.
        await page.getByRole("status").filter({ hasText: /^Your session ended(, perhaps because |: )the reset of your two-factor authentication/ }).waitFor({ timeout: 20_000 });
      } finally {
        later.restore();
      }
      await expectFocus(page.getByRole("heading", { name: "Sign in", level: 1 }));
      expect(tab.errors).toEqual([]);
      await tab.close();
    }, JOURNEY_TIMEOUT_MS);
  });
}
