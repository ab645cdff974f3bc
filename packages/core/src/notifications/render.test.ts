import { describe, expect, it } from "vitest";
import type { DetailOf } from "@twofactor/events";
import { mailWindowAt } from "./mail-window.js";
import { MESSAGES } from "./messages.js";
import { render } from "./render.js";

describe("a security mail's words", () => {
  it("escapes every value in the HTML and keeps it as typed in the text", () => {
    const name = `<img src=x onerror="alert(1)"> & 'co'`;
    const detail: DetailOf<"SecurityKeyRegistered"> = {
      eventId: "e1", occurredAt: "2026-01-06T12:13:14.567Z", actor: "u1", userId: "u1",
      keyId: "AAAAAAAAAAAAAAAAAAAAAA", name, aaguid: "00000000-0000-0000-0000-000000000000", transports: ["usb"], backedUp: false,
    };
    const message = MESSAGES.SecurityKeyRegistered(detail, { service: "Acme <Ops>" });
    const { text, html } = render(message, {
      service: "Acme <Ops>", greeting: "<b>Ada</b>", occurredAt: "2026-01-06T12:13:14.567Z", where: { network: "127.0.0.1", browser: "Firefox <130>" },
    });
    expect(text).toContain(`The security key “${name}” was added to your Acme <Ops> account.`);
    expect(text).toContain("Hello <b>Ada</b>,");
    expect(text).toContain("When: 2026-01-06T12:13:14Z (UTC)");
    expect(html).not.toMatch(/<img|<b>|<Ops>|<130>/);
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;co&#39;");
    expect(html).toContain("Firefox &lt;130&gt;");
  });

  it("shows where it came from only when the message says so (not to an invited address)", () => {
    const detail: DetailOf<"TeamInvitationCreated"> = {
      eventId: "e2", occurredAt: "2026-01-06T00:00:00.000Z", actor: "u1", teamId: "t1", invitationId: "i1",
      email: "new@example.com", role: "member", expiresAt: "2026-01-13T00:00:00.000Z",
    };
    const invitation = MESSAGES.TeamInvitationCreated(detail, { service: "Acme", team: "Ops", actor: "Grace" });
    const { text } = render(invitation, { service: "Acme", occurredAt: "2026-01-06T00:00:00.000Z", where: { network: "203.0.113.7" } });
    expect(text).toMatch(/^Hello,\n/);
    expect(text).not.toContain("203.0.113.7");
  });
});

describe("the hour a mail is counted in", () => {
  it("is the clock hour in UTC, its end excluded", () => {
    expect(mailWindowAt(new Date("2026-01-06T12:00:00.000Z"))).toEqual({ start: "2026-01-06T12:00:00.000Z", end: "2026-01-06T13:00:00.000Z" });
    expect(mailWindowAt(new Date("2026-01-06T12:59:59.999Z")).start).toBe("2026-01-06T12:00:00.000Z");
    expect(mailWindowAt(new Date("2026-01-06T13:00:00.000Z")).start).toBe("2026-01-06T13:00:00.000Z");
  });
});
