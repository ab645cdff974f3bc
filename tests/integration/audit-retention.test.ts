import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keys } from "@twofactor/aws";
import type { AuditEntry } from "@twofactor/core";
import { testClock } from "../support/clock.js";
import { signUpAndLogin } from "../support/flows.js";
import { useSystem } from "../support/system.js";

/**
 * The audit log's retention (AUDIT_RETENTION_DAYS): each entry carries `expiresAt`, the table's TTL
 * attribute, that many days after the event. DynamoDB deletes expired items lazily (dynalite never
 * does), so the lists leave out what has expired meanwhile.
 */
const DAYS = 30;
const ctx = useSystem({ env: { AUDIT_RETENTION_DAYS: String(DAYS) } });
const DAY_MS = 86_400_000;

const entry = (userId: string, ageDays: number): AuditEntry => ({
  eventId: randomUUID(), type: "LoginSucceeded", occurredAt: new Date(testClock.now().getTime() - ageDays * DAY_MS).toISOString(),
  actor: userId, userId, detail: { method: "password" },
}) as AuditEntry;

describe("the audit log's retention", () => {
  it("writes each entry with expiresAt the retention after the event", async () => {
    const user = await signUpAndLogin(ctx.api);
    const written = entry(user.id, 1);
    await ctx.system.runtime.deps.auditLog.append(written);

    const item = await ctx.system.runtime.table.get({ pk: keys.userAudit(user.id), sk: `${written.occurredAt}#${written.eventId}` });
    expect(item?.expiresAt).toBe(Math.floor(Date.parse(written.occurredAt) / 1000) + DAYS * 86_400);
  });

  it("no longer shows an entry past the retention, though TTL has not deleted it yet", async () => {
    const user = await signUpAndLogin(ctx.api);
    const recent = entry(user.id, DAYS - 1);
    const expired = entry(user.id, DAYS + 1);
    await ctx.system.runtime.deps.auditLog.append(recent);
    await ctx.system.runtime.deps.auditLog.append(expired);

    const page = await ctx.api.get("/v1/me/security-events", user.token);

    expect(page.status).toBe(200);
    const shown = (page.body.items as { eventId: string }[]).map((item) => item.eventId);
    expect(shown).toContain(recent.eventId);
    expect(shown).not.toContain(expired.eventId);
    expect(await ctx.system.runtime.table.get({ pk: keys.userAudit(user.id), sk: `${expired.occurredAt}#${expired.eventId}` })).toBeDefined();
  });
});
