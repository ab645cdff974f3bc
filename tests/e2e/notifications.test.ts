import { randomUUID } from "node:crypto";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { EventBridgePublisher, SesMailSender } from "@twofactor/aws";
import { parseEvent } from "@twofactor/events";
import { MAILED } from "@twofactor/events/subscriptions";
import { sesFeedback } from "../fixtures/ses-feedback.js";
import { inSteps, totpCode } from "../support/authenticator.js";
import { testClock, travel } from "../support/clock.js";
import { enableTotp, PASSWORD, startChallenge, type TestUser } from "../support/flows.js";
import { readMail, readMailbox, type ReceivedMail } from "../support/mailbox.js";
import { useSystem } from "../support/system.js";
import { createTeam, invite, accept, put } from "../support/teams.js";
import { SoftwareKey } from "../infra/software-key.js";

/**
 * Security mails over the real local runtime: the notifier consumes the bus's events and writes
 * each mail as an `.eml` file, which these tests read as a mail client would (postal-mime).
 */
const ctx = useSystem();
const TEAM = "Night Shift";

interface Logged { eventId: string; type: string; occurredAt: string; mailed?: boolean; detail: Record<string, unknown> }

async function signUp(name: string, prefix: string): Promise<TestUser> {
  const email = `${prefix}-${randomUUID()}@example.com`;
  const created = await ctx.api.post("/v1/users", { email, password: PASSWORD, name });
  expect(created.status).toBe(201);
  const login = await ctx.api.post("/v1/auth/login", { email, password: PASSWORD });
  return { id: created.body.user.id, email, token: login.body.session.token };
}

async function log(path: string, token: string): Promise<Logged[]> {
  const res = await ctx.api.get(`${path}?limit=100`, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

const mailsTo = async (address: string) => (await readMailbox(ctx.system.mailDir)).filter((mail) => mail.to === address);
const isoSecond = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The kinds each test below mails: together, every kind the notifier mails. */
const OWN_KINDS = ["DeviceTrusted", "RecoveryCodeUsed", "RecoveryCodesRegenerated", "SecurityKeyRegistered", "SecurityKeyRemoved", "TwoFactorDisabled", "TwoFactorEnabled"];
const TEAM_KINDS = ["AccountLocked", "MemberFlaggedForSetup", "TeamInvitationCreated", "TwoFactorReset", "TwoFactorResetRequested"];

/** What every mail is: one per event, from MAIL_FROM, text and HTML in UTF-8, the event's time, what to do, and no secret and no link. */
function expectWellFormed(mails: ReceivedMail[], events: Map<string, Logged>, secrets: string[]): void {
  expect(new Set(mails.map((mail) => mail.eventId)).size).toBe(mails.length);
  for (const mail of mails) {
    const event = events.get(mail.eventId)!;
    expect(mail.from, mail.file).toEqual({ address: "security@localhost", name: "TwoFactor" });
    expect(mail.contentType, mail.file).toMatch(/^multipart\/alternative;/);
    expect(mail.raw).toMatch(/Content-Type: text\/plain; charset=utf-8/);
    expect(mail.raw).toMatch(/Content-Type: text\/html; charset=utf-8/);
    expect(mail.text, mail.file).toContain(`When: ${isoSecond(event.occurredAt)} (UTC)`);
    expect(mail.text).toMatch(/(If this was not you|If you did not ask for this|If you did not expect this): /);
    expect(mail.html).toContain("<table>");
    expect(mail.file).toMatch(new RegExp(`^\\d{8}T\\d{6}\\.\\d{3}Z-${mail.eventId}\\.eml$`));
    const everything = [mail.raw, mail.text, mail.html, mail.subject].join("\n");
    for (const secret of secrets) expect(everything, `${event.type} mail holds a secret`).not.toContain(secret);
    expect(everything, "no link of any kind").not.toMatch(/https?:\/\//);
  }
}

describe("security notifications by mail", () => {
  it("mails each change of a person's own factors and devices once, as text and HTML, with no secret", async () => {
    const secrets: string[] = [PASSWORD];
    const ada = await signUp("Adèle", "adele");
    const totp = await enableTotp(ctx.api, ada);
    secrets.push(ada.token, totp.secret, ...totp.recoveryCodes, totpCode(totp.secret, inSteps(-1)));
    const key = new SoftwareKey(new URL(ctx.system.url).origin, "localhost");
    const creation = await ctx.api.post("/v1/me/security-keys/options", undefined, ada.token);
    expect((await ctx.api.post("/v1/me/security-keys", { name: "Desk key", response: key.register(creation.body.options) }, ada.token)).status).toBe(201);
    expect((await ctx.api.delete(`/v1/me/security-keys/${key.id}`, undefined, ada.token)).status).toBe(204);
    const regenerateCode = totpCode(totp.secret);
    const regenerated = await ctx.api.post("/v1/me/recovery-codes", { code: regenerateCode }, ada.token);
    expect(regenerated.status).toBe(200);
    secrets.push(regenerateCode, ...regenerated.body.recoveryCodes);
    const signIn = await ctx.api.post(`/v1/auth/challenges/${await startChallenge(ctx.api, ada)}/recovery-code`,
      { code: regenerated.body.recoveryCodes[0], rememberDevice: true });
    expect(signIn.status).toBe(201);
    secrets.push(signIn.body.session.token, signIn.body.deviceToken);
    const disableCode = totpCode(totp.secret, inSteps(1));
    expect((await ctx.api.delete("/v1/me/totp", { code: disableCode }, ada.token)).status).toBe(204);
    secrets.push(disableCode);
    await ctx.system.bus.idle();

    const adaLog = await log("/v1/me/security-events", ada.token);
    const events = new Map(adaLog.map((entry) => [entry.eventId, entry]));
    const mails = await mailsTo(ada.email);
    expect(mails.map((mail) => events.get(mail.eventId)?.type).sort()).toEqual(OWN_KINDS);
    expectWellFormed(mails, events, secrets);
    // `ls` order is the order they were written.
    const dates = mails.map((mail) => mail.date.getTime());
    expect(dates).toEqual([...dates].sort((a, b) => a - b));

    const textOf = (type: string) => mails.find((mail) => events.get(mail.eventId)!.type === type)!.text;
    expect(textOf("TwoFactorEnabled")).toMatch(/^Hello Adèle,/);
    expect(textOf("TwoFactorEnabled")).toContain("Network: 127.0.0.1");
    expect(textOf("SecurityKeyRegistered")).toContain("“Desk key” was added");
    expect(textOf("SecurityKeyRemoved")).toContain("“Desk key” was removed");
    expect(textOf("RecoveryCodeUsed")).toContain("9 recovery codes are left");
    expect(textOf("DeviceTrusted")).toContain("Network: 127.0.0.0/24");
    // The security log marks what was mailed, and nothing else.
    for (const entry of adaLog) expect(entry.mailed ?? false, entry.type).toBe((MAILED as readonly string[]).includes(entry.type));
  });

  it("mails a team's invitations, holds and resets to whom they concern, with the team's and the inviter's names", { timeout: 60_000 }, async () => {
    expect([...OWN_KINDS, ...TEAM_KINDS].sort()).toEqual([...MAILED].sort());
    const secrets: string[] = [PASSWORD];
    // Grace invites Bob and Cy (who have accounts) and a newcomer (who has none), enforces 2FA (Cy has none), resets Bob's.
    const grace = await signUp("Grace", "grace");
    const graceTotp = await enableTotp(ctx.api, grace);
    secrets.push(grace.token, graceTotp.secret, ...graceTotp.recoveryCodes);
    const team = await createTeam(ctx.api, grace, TEAM);
    const [bob, cy] = [await signUp("Bob", "bob"), await signUp("Cy", "cy")];
    const newcomer = `newcomer-${randomUUID()}@example.com`;
    await accept(ctx.api, bob, await invite(ctx.api, team, grace, bob.email, "member"));
    await accept(ctx.api, cy, await invite(ctx.api, team, grace, cy.email, "member"));
    await invite(ctx.api, team, grace, newcomer, "auditor");
    const bobTotp = await enableTotp(ctx.api, bob);
    secrets.push(bob.token, cy.token, bobTotp.secret, ...bobTotp.recoveryCodes);
    expect((await put(ctx.api, `/v1/teams/${team}/enforcement`, { enabled: true }, grace.token)).status).toBe(202);
    const reset = await ctx.api.post(`/v1/teams/${team}/members/${bob.id}/two-factor-reset`, undefined, grace.token);
    expect(reset.status).toBe(202);
    await ctx.system.bus.idle();
    const later = travel(ctx.system, 24 * 3600_000 + 60_000);
    try {
      expect((await ctx.system.sweepResets()).applied).toBe(1);
      await ctx.system.bus.idle();
    } finally {
      later.restore();
    }
    // Five wrong codes in a row lock Grace's second factor.
    const challenge = await startChallenge(ctx.api, grace);
    for (let i = 0; i < 5; i++) await ctx.api.post(`/v1/auth/challenges/${challenge}/totp`, { code: totpCode(graceTotp.secret, inSteps(-20)) });
    await ctx.system.bus.idle();

    // What each event was, from the logs the API shows: Grace's own, and the team's (its members' events, its invitations).
    const events = new Map<string, Logged>();
    for (const entry of [...await log("/v1/me/security-events", grace.token), ...await log(`/v1/teams/${team}/audit-events`, grace.token)]) {
      events.set(entry.eventId, entry);
    }
    const mailbox = await readMailbox(ctx.system.mailDir);
    const ours = mailbox.filter((mail) => [grace.email, bob.email, cy.email, newcomer].includes(mail.to));
    const kinds = (address: string) => ours.filter((mail) => mail.to === address).map((mail) => events.get(mail.eventId)?.type ?? `unknown ${mail.eventId}`).sort();
    expect(kinds(grace.email)).toEqual(["AccountLocked", "TwoFactorEnabled"]);
    expect(kinds(bob.email)).toEqual(["MemberFlaggedForSetup", "TeamInvitationCreated", "TwoFactorEnabled", "TwoFactorReset", "TwoFactorResetRequested"]);
    expect(kinds(cy.email)).toEqual(["MemberFlaggedForSetup", "TeamInvitationCreated"]);
    expect(kinds(newcomer)).toEqual(["TeamInvitationCreated"]);
    expectWellFormed(ours, events, secrets);

    const textOf = (address: string, type: string) => ours.find((mail) => mail.to === address && events.get(mail.eventId)!.type === type)!.text;
    expect(textOf(bob.email, "TeamInvitationCreated")).toContain(`Grace invited ${bob.email} to join the team “${TEAM}”`);
    expect(textOf(newcomer, "TeamInvitationCreated")).toMatch(/^Hello,\n/);
    expect(textOf(newcomer, "TeamInvitationCreated")).toContain("as an auditor");
    expect(textOf(newcomer, "TeamInvitationCreated")).not.toContain("Network:"); // the inviter's address is theirs
    expect(textOf(cy.email, "MemberFlaggedForSetup")).toContain(`The team “${TEAM}” now requires two-factor authentication`);
    const requested = textOf(bob.email, "TwoFactorResetRequested");
    expect(requested).toContain(`Grace (an administrator of the team “${TEAM}”) asked to reset`);
    expect(requested).toContain(`It takes effect at ${isoSecond(reset.body.reset.effectiveAt)}`);
    expect(requested).toContain("sign in with your authenticator app or a security key, or verify it's you in Login & security");
    expect(textOf(bob.email, "TwoFactorReset")).toContain("your authenticator app was removed");
    expect(textOf(grace.email, "AccountLocked")).toContain("so its second-factor checks are locked until");
  });

  it("mails a redelivered or replayed event once", async () => {
    const user = await signUp("Ines", "ines");
    const event = parseEvent("SecurityKeyRegistered", {
      eventId: randomUUID(), occurredAt: testClock.now().toISOString(), actor: user.id, userId: user.id,
      keyId: "AAAAAAAAAAAAAAAAAAAAAA", name: "Spare key", aaguid: "00000000-0000-0000-0000-000000000000", transports: ["usb"], backedUp: false,
    });
    const publisher = new EventBridgePublisher(ctx.system.runtime.clients.eventBridge, ctx.system.runtime.config.EVENT_BUS_NAME);
    await publisher.publish([event, event]); // delivered twice
    await ctx.system.bus.idle();
    await publisher.publish([event]); // replayed later
    await ctx.system.bus.idle();

    const mails = await mailsTo(user.email);
    expect(mails.map((mail) => mail.eventId)).toEqual([event.detail.eventId]);
    expect(mails[0]!.text).toContain("“Spare key”");
    expect((await log("/v1/me/security-events", user.token)).filter((entry) => entry.eventId === event.detail.eventId))
      .toEqual([expect.objectContaining({ type: "SecurityKeyRegistered", mailed: true })]);
  });

  it("mails one address at most MAIL_RATE_PER_HOUR times an hour, and logs once how many it did not", async () => {
    const owner = await signUp("Hana", "hana");
    const team = await createTeam(ctx.api, owner, "Crowded");
    const target = await signUp("Dee", "dee");
    // At the start of an hour of the system's clock, so that the burst falls in one window.
    const now = testClock.now().getTime();
    const hour = travel(ctx.system, Math.ceil(now / 3600_000) * 3600_000 + 60_000 - now);
    try {
      for (let i = 0; i < 40; i++) {
        const id = await invite(ctx.api, team, owner, target.email, "member");
        expect((await ctx.api.delete(`/v1/teams/${team}/invitations/${id}`, undefined, owner.token)).status).toBe(204);
      }
      await ctx.system.bus.idle();
      expect(await mailsTo(target.email)).toHaveLength(30);

      // The hour's summary waits in the backlog while the hour lasts; once it is over, the sweep publishes it, once.
      const windowEnd = new Date(Math.ceil(hour.now().getTime() / 3600_000) * 3600_000);
      const backlog = ctx.system.runtime.outboxBacklog;
      await backlog.drain(new Date(windowEnd.getTime() - 1));
      await ctx.system.bus.idle();
      expect((await log("/v1/me/security-events", target.token)).filter((entry) => entry.type === "NotificationsSuppressed")).toEqual([]);
      expect((await backlog.drain(new Date(windowEnd.getTime() + 1))).published).toBe(1);
      await ctx.system.bus.idle();
      expect((await backlog.drain(new Date(windowEnd.getTime() + 1))).published).toBe(0);
    } finally {
      hour.restore();
    }
    const suppressed = (await log("/v1/me/security-events", target.token)).filter((entry) => entry.type === "NotificationsSuppressed");
    expect(suppressed).toEqual([expect.objectContaining({
      actor: "system", userId: target.id,
      detail: { count: 10, windowStart: expect.stringMatching(/:00:00\.000Z$/), windowEnd: expect.stringMatching(/:00:00\.000Z$/) },
    })]);
    expect(suppressed[0]).not.toHaveProperty("mailed");
  });

  it("on AWS hands SES the same message, retries what SES refused, and stops mailing an address that bounced hard", async () => {
    const ses = mockClient(SESv2Client);
    const local = ctx.system.mailer;
    ctx.system.mailer = new SesMailSender(new SESv2Client({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } }), "test-twofactor-mail");
    try {
      const refused = Object.assign(new Error("Throttling"), { name: "TooManyRequestsException", $metadata: { httpStatusCode: 429 } });
      ses.on(SendEmailCommand).rejectsOnce(refused).resolves({ MessageId: "ses-message-1" });
      const eve = await signUp("Eve", "eve");
      await enableTotp(ctx.api, eve);
      await ctx.system.bus.idle();
      // Refused once (nothing went out), sent on the queue's next receive: one message, and no file beside it.
      const calls = ses.commandCalls(SendEmailCommand);
      expect(calls).toHaveLength(2);
      const input = calls[1]!.args[0].input;
      expect(input).toMatchObject({
        FromEmailAddress: "TwoFactor <security@localhost>", Destination: { ToAddresses: [eve.email] }, ConfigurationSetName: "test-twofactor-mail",
      });
      expect(Buffer.from(calls[0]!.args[0].input.Content!.Raw!.Data!).length).toBeGreaterThan(0);
      const sent = await readMail(input.Content!.Raw!.Data!);
      expect(sent.subject).toBe("Two-factor authentication was turned on");
      expect(sent.to).toBe(eve.email);
      expect(sent.text).toContain("Hello Eve,");
      expect(await mailsTo(eve.email)).toEqual([]);

      // SES reports a hard bounce (on the account's default bus; locally the one bus): Eve's address is not mailed again.
      const bounce = sesFeedback("bounced", [eve.email.toUpperCase()]);
      await ctx.system.runtime.clients.eventBridge.send(new PutEventsCommand({
        Entries: [{ Source: "aws.ses", DetailType: bounce.detailType, Detail: JSON.stringify(bounce.detail) }],
      }));
      await ctx.system.bus.idle();
      ses.resetHistory();
      expect((await ctx.api.post("/v1/me/recovery-codes", undefined, eve.token)).status).toBe(200);
      await ctx.system.bus.idle();
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
      const entries = await log("/v1/me/security-events", eve.token);
      expect(entries.find((entry) => entry.type === "TwoFactorEnabled")?.mailed).toBe(true);
      expect(entries.find((entry) => entry.type === "RecoveryCodesRegenerated")).not.toHaveProperty("mailed");

      // A soft bounce changes nothing; a transport that fails without an answer is not retried (at most once).
      const fay = await signUp("Fay", "fay");
      const soft = sesFeedback("bounced", [fay.email], "Transient");
      await ctx.system.runtime.clients.eventBridge.send(new PutEventsCommand({
        Entries: [{ Source: "aws.ses", DetailType: soft.detailType, Detail: JSON.stringify(soft.detail) }],
      }));
      await ctx.system.bus.idle();
      ses.on(SendEmailCommand).rejectsOnce(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })).resolves({ MessageId: "ses-message-2" });
      await enableTotp(ctx.api, fay);
      await ctx.system.bus.idle();
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
      expect((await log("/v1/me/security-events", fay.token)).find((entry) => entry.type === "TwoFactorEnabled")).not.toHaveProperty("mailed");
    } finally {
      ctx.system.mailer = local;
      ses.restore();
    }
  });
});
