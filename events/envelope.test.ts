import { describe, expect, it } from "vitest";
import { characterCount, MAX_USER_AGENT_CHARS, parseEvent } from "./index.js";

const detail = (extra: Record<string, unknown>) => ({
  eventId: "evt-1", occurredAt: "2025-01-01T00:00:00.000Z", actor: "usr_a", userId: "usr_a", stage: "password", method: "password", ...extra,
});

describe("the envelope every event shares", () => {
  it("counts characters as code points", () => {
    expect(characterCount("😀é")).toBe(2);
    expect(characterCount("e\u0301")).toBe(2);
  });

  it("takes a user agent of up to 512 characters, however many UTF-16 units they take", () => {
    expect(() => parseEvent("LoginFailed", detail({ userAgent: "x".repeat(MAX_USER_AGENT_CHARS) }))).not.toThrow();
    expect(() => parseEvent("LoginFailed", detail({ userAgent: "😀".repeat(MAX_USER_AGENT_CHARS) }))).not.toThrow();
  });

  it("refuses a longer one, so that nothing unbounded reaches an event or the audit log", () => {
    expect(() => parseEvent("LoginFailed", detail({ userAgent: "x".repeat(MAX_USER_AGENT_CHARS + 1) }))).toThrow();
    expect(() => parseEvent("LoginFailed", detail({ ip: "x".repeat(65) }))).toThrow();
  });

  it("takes a key name of 64 characters of any plane, and refuses 65", () => {
    const removed = (name: string) => ({ eventId: "evt-1", occurredAt: "2025-01-01T00:00:00.000Z", actor: "usr_a", userId: "usr_a", keyId: "AAAA", name });
    expect(() => parseEvent("SecurityKeyRemoved", removed("😀".repeat(64)))).not.toThrow();
    expect(() => parseEvent("SecurityKeyRemoved", removed("x".repeat(65)))).toThrow();
    expect(() => parseEvent("SecurityKeyRemoved", removed(""))).toThrow();
  });
});
