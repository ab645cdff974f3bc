import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { EventBridgePublisher } from "@twofactor/aws";
import { parseEvent } from "@twofactor/events";
import type { LocalRuntime } from "@twofactor/local";
import { totpCode } from "../support/authenticator.js";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge } from "../support/flows.js";
import { connect, freshStepForEachTest, startSystem } from "../support/system.js";
import { useTempDirs } from "../support/temp-dir.js";

freshStepForEachTest();
const running: LocalRuntime[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((system) => system.stop()));
});

async function start(dataDir: string) {
  const system = await startSystem({ dataDir });
  running.push(system);
  return { system, api: (await connect(system)).api };
}

async function stop(system: LocalRuntime) {
  running.splice(running.indexOf(system), 1);
  await system.stop();
}

const newDataDir = useTempDirs("data");

describe("a restart", () => {
  it("loses nothing: accounts, factors, sessions and the security log survive, under credentials made anew", async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    const user = await signUpAndLogin(first.api);
    const { secret } = await enableTotp(first.api, user);
    await first.system.bus.idle();
    await stop(first.system);

    expect(statSync(join(dataDir, "local-master.key")).mode & 0o777).toBe(0o600);
    const second = await start(dataDir);
    expect((await second.api.get("/v1/me", user.token)).body.user.twoFactor.enabled).toBe(true);
    // The stand-ins of this start take its own credentials only, not the last start's.
    expect(second.system.credentials.accessKeyId).not.toBe(first.system.credentials.accessKeyId);
    const stale = new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, credentials: first.system.credentials, maxAttempts: 1 });
    await expect(stale.send(new DescribeTableCommand({ TableName: "twofactor" }))).rejects.toMatchObject({ name: "UnrecognizedClientException" });
    stale.destroy();
    const id = await startChallenge(second.api, user);
    expect((await second.api.post(`/v1/auth/challenges/${id}/totp`, { code: totpCode(secret) })).status).toBe(201);
    await second.system.bus.idle();
    const types = (await second.api.get("/v1/me/security-events", user.token)).body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(["TwoFactorEnabled", "LoginSucceeded"]));
  });
});

describe("the outbox", () => {
  it("delivers an event after a restart when EventBridge refused it before the process went down", async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    // Every PutEvents entry fails: the state change is written, the relay backlogs its event.
    first.system.bus.refuseNextEntries(1_000);
    const user = await signUpAndLogin(first.api);
    await first.system.bus.idle();
    expect((await first.api.get("/v1/me/security-events", user.token)).body.items).toEqual([]);
    await stop(first.system); // no sweep ran

    const second = await start(dataDir); // startup sweeps the backlog the last process left
    await second.system.bus.idle();
    const items = (await second.api.get("/v1/me/security-events", user.token)).body.items;
    expect(items.map((e: { type: string }) => e.type)).toEqual(["LoginSucceeded"]);
    expect((await second.system.sweepOutbox()).published).toBe(0); // nothing left owed
  });

  it("delivers what the table's stream held when the process went down before the relay ran", async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    first.system.bus.pauseDeliveries(); // the relay is held: the stream keeps the record
    const user = await signUpAndLogin(first.api);
    await stop(first.system);

    const second = await start(dataDir);
    await second.system.bus.idle();
    expect((await second.api.get("/v1/me/security-events", user.token)).body.items.map((e: { type: string }) => e.type)).toEqual(["LoginSucceeded"]);
  });

  it("the periodic sweep publishes what the relay could not, without a restart", async () => {
    const { system, api } = await start(newDataDir());
    system.bus.refuseNextEntries(1_000);
    const user = await signUpAndLogin(api);
    await system.bus.idle();
    system.bus.refuseNextEntries(0);
    expect((await system.sweepOutbox()).published).toBe(1);
    await system.bus.idle();
    expect((await api.get("/v1/me/security-events", user.token)).body.items).toHaveLength(1);
  });
});

describe("the local bus", () => {
  it("stores an event delivered twice as one audit record (idempotent by eventId)", async () => {
    const { system, api } = await start(newDataDir());
    const user = await signUpAndLogin(api);
    await system.bus.idle();
    const event = parseEvent("LoginFailed", {
      eventId: "7d1f2a4e-0000-4000-8000-000000000001", occurredAt: new Date().toISOString(), actor: user.id,
      userId: user.id, stage: "password", method: "password",
    });
    const publisher = new EventBridgePublisher(new EventBridgeClient({ endpoint: system.bus.endpoint, credentials: system.credentials }), "twofactor-local");
    await publisher.publish([event]);
    await publisher.publish([event]);
    await system.bus.idle();
    const items = (await api.get("/v1/me/security-events", user.token)).body.items;
    expect(items.filter((e: { eventId: string }) => e.eventId === event.detail.eventId)).toHaveLength(1);
  });

  it("sends failed PutEvents entries again, so a partial failure loses nothing", async () => {
    const { system, api } = await start(newDataDir());
    const user = await signUpAndLogin(api);
    system.bus.refuseNextEntries(2);
    for (let i = 0; i < 3; i++) await api.post("/v1/auth/login", { email: user.email, password: PASSWORD });
    await system.bus.idle();
    expect((await api.get("/v1/me/security-events", user.token)).body.items).toHaveLength(4);
  });

  it("receives a failing event again, then writes it to the dead-letter file", async () => {
    const dataDir = newDataDir();
    const { system } = await start(dataDir);
    // A detail the catalog refuses: the audit consumer throws on every attempt.
    const bus = new EventBridgeClient({ endpoint: system.bus.endpoint, credentials: system.credentials });
    const response = await bus.send(new PutEventsCommand({ Entries: [{ Source: "twofactor", DetailType: "LoginSucceeded", Detail: "{\"eventId\":\"x\"}" }] }));
    bus.destroy();
    expect(response.FailedEntryCount).toBe(0);
    await system.bus.idle();
    // LoginSucceeded's one consumer, the audit log, dead-letters it (its metric is the writing function's).
    const letters = readFileSync(join(dataDir, "dead-letters.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(letters.map((letter) => letter.consumer)).toEqual(["audit-log"]);
    for (const letter of letters) {
      expect(letter).toMatchObject({ attempts: 3, error: expect.stringMatching(/invalid|expected/i), event: { "detail-type": "LoginSucceeded", source: "twofactor" } });
    }
  });
});
