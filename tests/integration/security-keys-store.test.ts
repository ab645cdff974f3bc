import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keys } from "@twofactor/aws";
import type { SecurityKey } from "@twofactor/core";
import { parseEvent } from "@twofactor/events";
import { useSystem } from "../support/system.js";

/**
 * The conditional writes that carry the security-key invariants, on the embedded dynalite the
 * system really uses (no fakes): counters only rise, removed keys stay as tombstones until their
 * events are out, WebAuthn challenges are consumed once.
 */
const ctx = useSystem();

function aKey(counter = 0): SecurityKey {
  return {
    id: randomBytes(16).toString("base64url"),
    publicKey: randomBytes(77).toString("base64url"),
    counter,
    transports: ["usb"],
    aaguid: "00000000-0000-0000-0000-000000000000",
    backedUp: false,
    name: "test key",
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
  };
}

const userId = () => `usr_${randomUUID()}`;

describe("SecurityKeysStore on dynalite", () => {
  it("lets a counter only rise: of two racing uses of one counter value exactly one wins", async () => {
    const { securityKeys } = ctx.system.runtime.deps;
    const user = userId();
    const key = aKey(5);
    expect(await securityKeys.add(user, key, [])).toBe(true);

    const raced = await Promise.all([securityKeys.recordUse(user, key.id, 6, new Date()), securityKeys.recordUse(user, key.id, 6, new Date())]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(await securityKeys.recordUse(user, key.id, 6, new Date())).toBe(false);
    expect(await securityKeys.recordUse(user, key.id, 4, new Date())).toBe(false);
    expect(await securityKeys.recordUse(user, key.id, 7, new Date())).toBe(true);
    expect((await ctx.system.runtime.table.get(keys.securityKey(user, key.id)))?.counter).toBe(7);
  });

  it("keeps accepting an authenticator whose counter is always 0, until it once reports more", async () => {
    const { securityKeys } = ctx.system.runtime.deps;
    const user = userId();
    const key = aKey(0);
    await securityKeys.add(user, key, []);
    expect(await securityKeys.recordUse(user, key.id, 0, new Date())).toBe(true);
    expect(await securityKeys.recordUse(user, key.id, 0, new Date())).toBe(true);
    expect(await securityKeys.recordUse(user, key.id, 3, new Date())).toBe(true);
    expect(await securityKeys.recordUse(user, key.id, 0, new Date())).toBe(false);
  });

  it("refuses the same credential twice for a user, but not for another user", async () => {
    const { securityKeys } = ctx.system.runtime.deps;
    const key = aKey();
    const user = userId();
    expect(await securityKeys.add(user, key, [])).toBe(true);
    expect(await securityKeys.add(user, { ...key, name: "again" }, [])).toBe(false);
    expect(await securityKeys.add(userId(), key, [])).toBe(true);
  });

  it("turns a removed key into a tombstone that carries its event, hidden from the account, revived by a new registration", async () => {
    const { securityKeys, accounts } = ctx.system.runtime.deps;
    const created = await ctx.api.post("/v1/users", { email: `${randomUUID()}@example.com`, password: "correct horse battery staple", name: "T" });
    const user = created.body.user.id as string;
    const key = aKey(2);
    await securityKeys.add(user, key, []);
    expect((await accounts.load(user))?.securityKeys.map((k) => k.id)).toEqual([key.id]);

    const removed = parseEvent("SecurityKeyRemoved", {
      eventId: randomUUID(), occurredAt: new Date().toISOString(), actor: user, userId: user, keyId: key.id, name: key.name,
    });
    expect(await securityKeys.remove(user, key.id, new Date(), [removed])).toBe(true);
    expect(await securityKeys.remove(user, key.id, new Date(), [])).toBe(false);
    expect(await securityKeys.rename(user, key.id, "renamed")).toBeUndefined();
    expect(await securityKeys.recordUse(user, key.id, 9, new Date())).toBe(false);
    expect((await accounts.load(user))?.securityKeys).toEqual([]);

    const tombstone = await ctx.system.runtime.table.get(keys.securityKey(user, key.id));
    expect(tombstone).toMatchObject({ status: "removed", credentialId: key.id, removedAt: expect.any(String), expiresAt: expect.any(Number) });
    expect(tombstone).not.toHaveProperty("publicKey");
    expect(Object.keys(tombstone!).filter((name) => name.startsWith("owed_"))).toEqual([]);

    await ctx.system.bus.idle();
    const log = await ctx.system.runtime.deps.auditLog.listForUser(user, { limit: 10 });
    expect(log.items.map((e) => e.type)).toContain("SecurityKeyRemoved");

    expect(await securityKeys.add(user, { ...key, name: "back" }, [])).toBe(true);
    const revived = await ctx.system.runtime.table.get(keys.securityKey(user, key.id));
    expect(revived).toMatchObject({ status: "active", name: "back", publicKey: key.publicKey });
    expect(revived).not.toHaveProperty("removedAt");
    expect(revived).not.toHaveProperty("expiresAt");
  });
});

describe("WebAuthnChallengesStore on dynalite", () => {
  it("consumes a challenge exactly once, even when two requests race", async () => {
    const { webauthnChallenges } = ctx.system.runtime.deps;
    const challengeHash = randomBytes(32).toString("hex");
    await webauthnChallenges.create({ challengeHash, ceremony: "registration", userId: userId(), expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect(await webauthnChallenges.find(challengeHash, new Date())).toMatchObject({ ceremony: "registration" });

    const raced = await Promise.all([webauthnChallenges.consume(challengeHash), webauthnChallenges.consume(challengeHash)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(await webauthnChallenges.consume(challengeHash)).toBe(false);
    expect(await webauthnChallenges.find(challengeHash, new Date())).toBeUndefined();
  });

  it("does not find a challenge past its five minutes, though TTL has not removed it", async () => {
    const { webauthnChallenges } = ctx.system.runtime.deps;
    const challengeHash = randomBytes(32).toString("hex");
    const now = new Date();
    await webauthnChallenges.create({ challengeHash, ceremony: "authentication", userId: userId(), loginChallengeHash: "x", expiresAt: new Date(now.getTime() + 300_000).toISOString() });
    expect(await webauthnChallenges.find(challengeHash, new Date(now.getTime() + 299_000))).toBeDefined();
    expect(await webauthnChallenges.find(challengeHash, new Date(now.getTime() + 301_000))).toBeUndefined();
  });
});
