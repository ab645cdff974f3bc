import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { MailNotSentError, type MailSender, type SecretVault } from "@twofactor/core";
import { parseEvent } from "@twofactor/events";
import { allHandlers as HANDLERS } from "@twofactor/functions/handlers";
import { currentHandler, observeInvocations, startLocalRuntime, type LocalRuntime } from "@twofactor/local";
import { AUDIT_PARTITION_PREFIX, grantsFor, handlerGrants, TABLE_WRITES, type Grant } from "../../infra/permissions.js";
import { sesFeedback } from "../fixtures/ses-feedback.js";
import { SoftwareKey } from "./software-key.js";

/**
 * Least privilege, checked against what the handlers really call. Every handler runs on the
 * embedded runtime (the same adapters as on AWS) through a tour of the API; the DynamoDB and
 * EventBridge clients record each command against the handler that sent it, and the vault records
 * the calls the hierarchical keyring may make for it in a cold function instance (seal or open:
 * the branch key's GetItem and KMS Decrypt, tests/integration/hierarchical-vault.test.ts counts
 * them; open also: KMS Decrypt of a secret sealed before, by the plain KMS keyring, as
 * packages/aws/src/secret-vault.test.ts shows), and the mail transport records the SES call each
 * mail would be on AWS (locally it is a file). Then, per handler, what it
 * called must be exactly what infra/permissions.ts grants it. The handler list is data
 * (routes.ts, subscriptions.ts, schedule.ts): a handler the tour does not reach fails, naming itself.
 */
let system: LocalRuntime;
const called = new Map<string, Set<Grant>>();
const invoked = new Set<string>();
let stopObserving: () => void;

function record(grant: Grant): void {
  const handler = currentHandler();
  if (!handler) return; // the test's own set-up, not a handler
  if (!called.has(handler)) called.set(handler, new Set());
  called.get(handler)!.add(grant);
}

type Input = { IndexName?: string; Item?: { pk?: unknown }; Key?: { pk?: unknown } };

/**
 * `GetItemCommand` → `dynamodb:GetItem`; a query on an index names it, and so does a write to the
 * audit log's partitions (what the `dynamodb:LeadingKeys` conditions tell apart).
 */
function grantOf(service: string, commandName: string, input: Input): Grant {
  const action = `${service}:${commandName.replace(/Command$/, "")}`;
  if (input.IndexName) return `${action}@${input.IndexName}` as Grant;
  const pk = input.Item?.pk ?? input.Key?.pk;
  const isWrite = (TABLE_WRITES as readonly string[]).includes(action);
  return `${action}${isWrite && String(pk).startsWith(AUDIT_PARTITION_PREFIX) ? "@audit" : ""}` as Grant;
}

const branchKey = () => { record("dynamodb:GetItem@branch-keys"); record("kms:Decrypt@branch-keys"); };
const recordingVault = (vault: SecretVault): SecretVault => ({
  seal: (plaintext, context) => { branchKey(); return vault.seal(plaintext, context); },
  open: (sealed, context) => { branchKey(); record("kms:Decrypt"); return vault.open(sealed, context); },
});

beforeAll(async () => {
  system = await startLocalRuntime({
    sweep: { intervalMs: 3_600_000, graceMs: 0 }, bus: { attempts: 3, baseDelayMs: 20 }, wrapVault: recordingVault,
    // A reset takes effect at once, and a rollout counts as stalled at once (so that the tour reaches the sweep's nudge).
    env: { TEAM_RESET_DELAY_SECONDS: "0", ROLLOUT_STALL_SECONDS: "0" },
  });
  stopObserving = observeInvocations((handler) => invoked.add(handler));
  // The first mail is refused, as SES may refuse one: its claim is given back, and the queue's retry sends it.
  const files = system.mailer;
  let refuse = true;
  system.mailer = {
    send: async (raw, envelope) => {
      record("ses:SendEmail");
      if (refuse) {
        refuse = false;
        throw new MailNotSentError("refused once by the tour");
      }
      return files.send(raw, envelope);
    },
  } satisfies MailSender;
  const { clients } = system.runtime;
  clients.dynamodb.middlewareStack.add((next, context) => async (args) => {
    record(grantOf("dynamodb", context.commandName ?? "", args.input as Input));
    return next(args);
  }, { step: "initialize", name: "recordDynamoDbCalls" });
  clients.eventBridge.middlewareStack.add((next, context) => async (args) => {
    record(grantOf("events", context.commandName ?? "", {}));
    return next(args);
  }, { step: "initialize", name: "recordEventBridgeCalls" });
  await tour(system);
}, 120_000);

afterAll(async () => {
  stopObserving?.();
  await system?.stop();
});

describe("each handler calls exactly what infra/permissions.ts grants it", () => {
  it.for(HANDLERS)("%s", (handler) => {
    expect(invoked.has(handler), `the tour in ${import.meta.filename} does not reach ${handler}`).toBe(true);
    const calls = [...(called.get(handler) ?? [])].sort();
    const granted = [...grantsFor(handler)].sort();
    expect({ callsNotGranted: calls.filter((c) => !granted.includes(c)), grantedNeverCalled: granted.filter((g) => !calls.includes(g)) })
      .toEqual({ callsNotGranted: [], grantedNeverCalled: [] });
  });

  it("saw the AWS calls of the tour (the recorder works)", () => {
    expect([...(called.get("functions/http/challenge-totp.handler") ?? [])]).toEqual(expect.arrayContaining(["kms:Decrypt", "dynamodb:UpdateItem"]));
    // Only the relay and the sweep publish: a request function's events go out through the table's stream.
    expect([...called].filter(([, grants]) => grants.has("events:PutEvents")).map(([handler]) => handler).sort())
      .toEqual(["functions/events/outbox-relay.handler", "functions/events/outbox-sweep.handler"]);
    expect([...(called.get("functions/events/outbox-sweep.handler") ?? [])]).toContain("dynamodb:Query@outbox");
    // The audit log's partitions are told apart: its consumer wrote there, and nothing else did.
    expect([...(called.get("functions/events/audit-log.handler") ?? [])]).toContain("dynamodb:PutItem@audit");
    expect([...called].filter(([handler, grants]) => handler !== "functions/events/audit-log.handler" && [...grants].some((g) => g.endsWith("@audit")))).toEqual([]);
    expect(invoked.size).toBe(HANDLERS.length);
  });

  it("lists no handler that does not exist", () => {
    expect(Object.keys(handlerGrants).filter((handler) => !HANDLERS.includes(handler))).toEqual([]);
  });
});

/* ---------------------------------------------------------------------------------------------- */

const PASSWORD = "correct horse battery staple";

interface Answer { status: number; body: any }

function client(base: string) {
  return async (method: string, path: string, body?: unknown, token?: string, extra: Record<string, string> = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...extra };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** RFC 6238 with SHA-1, 6 digits, 30 s, from a base32 secret. */
function totp(secret: string, at = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of secret.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/**
 * Every route on its successful path and on the failures that write something (a wrong code is
 * counted, a taken email is undone), the consumers through the bus, the sweep after a lost publish.
 */
async function tour({ url, bus, runtime, sweepOutbox, sweepResets, sweepRollouts }: LocalRuntime): Promise<void> {
  const api = client(url);
  const expectStatus = async (answer: Promise<Answer>, status: number, what: string) => {
    const { status: got, body } = await answer;
    expect(got, `${what}: ${JSON.stringify(body)}`).toBe(status);
    return body;
  };
  const signUp = async (name: string) => {
    const email = `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    await expectStatus(api("POST", "/v1/users", { email, password: PASSWORD, name }), 201, "sign-up");
    await expectStatus(api("POST", "/v1/users", { email, password: PASSWORD, name }), 409, "sign-up, email taken");
    const login = await expectStatus(api("POST", "/v1/auth/login", { email, password: PASSWORD }), 201, "login");
    return { email, token: login.session.token as string };
  };

  await expectStatus(api("GET", "/v1/health"), 200, "health");
  await expectStatus(api("GET", "/v1/openapi.json"), 200, "openapi");
  await expectStatus(api("GET", "/v1/nowhere"), 404, "unknown path");
  await expectStatus(api("GET", "/v1/auth/login"), 405, "known path, other method");

  // An authenticator app: enrol, activate, sign in with it and with a recovery code, regenerate, remove.
  const ada = await signUp("ada");
  await expectStatus(api("POST", "/v1/auth/login", { email: ada.email, password: "wrong password!" }), 401, "wrong password");
  await expectStatus(api("GET", "/v1/me", undefined, ada.token), 200, "me");
  await expectStatus(api("GET", "/v1/me/security-keys", undefined, ada.token), 200, "list keys");
  const { secret } = await expectStatus(api("POST", "/v1/me/totp", undefined, ada.token), 201, "enrol");
  const stale = totp(secret, Date.now() - 600_000); // a code of ten minutes ago: well formed, wrong
  await expectStatus(api("POST", "/v1/me/totp/activate", { code: stale }, ada.token), 401, "activate, wrong code");
  // Each TOTP step counts once and must be newer than the last: activate with this step's code, sign
  // in with the next one's (both inside the ±1 step window however slow the machine), prove the
  // rest with recovery codes.
  const activated = await expectStatus(api("POST", "/v1/me/totp/activate", { code: totp(secret) }, ada.token), 200, "activate");
  const recoveryCodes = activated.recoveryCodes as string[];

  const challenge = async (who: { email: string }) =>
    (await expectStatus(api("POST", "/v1/auth/login", { email: who.email, password: PASSWORD }), 200, "login, second factor")).challenge.id as string;
  let id = await challenge(ada);
  await expectStatus(api("POST", `/v1/auth/challenges/${id}/totp`, { code: stale }), 401, "totp, wrong");
  await expectStatus(api("POST", `/v1/auth/challenges/${id}/totp`, { code: totp(secret, Date.now() + 30_000) }), 201, "totp");
  id = await challenge(ada);
  await expectStatus(api("POST", `/v1/auth/challenges/${id}/recovery-code`, { code: "abcde-fghjk" }), 401, "recovery code, wrong");
  await expectStatus(api("POST", `/v1/auth/challenges/${id}/recovery-code`, { code: recoveryCodes[0] }), 201, "recovery code");
  // Trusted devices: remember one, sign in with it, come back from another browser (DeviceChanged),
  // remember another, list and forget them; then reauthenticate with a code.
  id = await challenge(ada);
  const remembered = await expectStatus(api("POST", `/v1/auth/challenges/${id}/recovery-code`, { code: recoveryCodes[2], rememberDevice: true }), 201, "remember device");
  const device = { "x-device-token": remembered.deviceToken as string };
  await expectStatus(api("POST", "/v1/auth/login", { email: ada.email, password: PASSWORD }, undefined, device), 201, "trusted device");
  await expectStatus(api("POST", "/v1/auth/login", { email: ada.email, password: PASSWORD }, undefined, { ...device, "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0" }), 200, "device changed");
  const rememberWith = async (code: string) =>
    expectStatus(api("POST", `/v1/auth/challenges/${await challenge(ada)}/recovery-code`, { code, rememberDevice: true }), 201, "remember another device");
  await rememberWith(recoveryCodes[3]!);
  await rememberWith(recoveryCodes[5]!);
  const devices = await expectStatus(api("GET", "/v1/me/devices", undefined, ada.token), 200, "list devices");
  await expectStatus(api("DELETE", `/v1/me/devices/${devices.items[0].id}`, undefined, ada.token), 204, "forget a device");
  await expectStatus(api("DELETE", "/v1/me/devices", undefined, ada.token), 204, "forget all devices");
  await rememberWith(recoveryCodes[6]!); // the regeneration below forgets it (the forget-devices consumer)
  await expectStatus(api("POST", "/v1/me/reauthenticate", { code: stale }, ada.token), 401, "reauthenticate, wrong code");
  await expectStatus(api("POST", "/v1/me/reauthenticate", { code: recoveryCodes[4] }, ada.token), 200, "reauthenticate");
  await expectStatus(api("POST", "/v1/me/recovery-codes", { code: stale }, ada.token), 401, "regenerate, wrong code");
  const regenerated = await expectStatus(api("POST", "/v1/me/recovery-codes", { code: recoveryCodes[1] }, ada.token), 200, "regenerate");
  await expectStatus(api("DELETE", "/v1/me/totp", { code: stale }, ada.token), 401, "disable, wrong code");
  await expectStatus(api("DELETE", "/v1/me/totp", { code: regenerated.recoveryCodes[0] }, ada.token), 204, "disable");

  // A security key: register it (the first factor), sign in with it, a clone's assertion, rename, remove.
  const bob = await signUp("bob");
  const key = new SoftwareKey(new URL(url).origin, "localhost");
  const creation = await expectStatus(api("POST", "/v1/me/security-keys/options", undefined, bob.token), 200, "key options");
  await expectStatus(api("POST", "/v1/me/security-keys", { name: "spare", response: key.register({ challenge: "bm90LWlzc3VlZA" }) }, bob.token), 400, "register, unknown challenge");
  await expectStatus(api("POST", "/v1/me/security-keys", { name: "desk key", response: key.register(creation.options) }, bob.token), 201, "register");
  id = await challenge(bob);
  let request = await expectStatus(api("POST", `/v1/auth/challenges/${id}/webauthn/options`), 200, "assertion options");
  await expectStatus(api("POST", `/v1/auth/challenges/${id}/webauthn`, { response: key.authenticate(request.options) }), 201, "security key");
  const reauth = await expectStatus(api("POST", "/v1/me/reauthenticate/webauthn/options", undefined, bob.token), 200, "reauthentication options");
  const proof = key.authenticate(reauth.options);
  await expectStatus(api("POST", "/v1/me/reauthenticate/webauthn", { response: proof }, bob.token), 200, "reauthenticate with the key");
  await expectStatus(api("POST", "/v1/me/reauthenticate/webauthn", { response: proof }, bob.token), 401, "reauthenticate, replayed assertion");
  id = await challenge(bob);
  request = await expectStatus(api("POST", `/v1/auth/challenges/${id}/webauthn/options`), 200, "assertion options");
  await expectStatus(api("POST", `/v1/auth/challenges/${id}/webauthn`, { response: key.authenticate(request.options, 1) }), 401, "a clone's counter");
  // A team: bob (2FA on, by his key, proved just now) creates it and invites; carol accepts, dave
  // declines, erin's invitation is withdrawn; bob enforces 2FA (the fan-out flags carol), asks for a
  // reset of her 2FA (which takes effect at once here: TEAM_RESET_DELAY_SECONDS is 0, and the timers'
  // sweep writes it), reads the audit log, removes her.
  const team = (await expectStatus(api("POST", "/v1/teams", { name: "Tour" }, bob.token), 201, "create team")).team;
  await expectStatus(api("GET", `/v1/teams/${team.id}`, undefined, bob.token), 200, "get team");
  const [carol, dave] = [await signUp("carol"), await signUp("dave")];
  const inviteTo = async (email: string) =>
    (await expectStatus(api("POST", `/v1/teams/${team.id}/invitations`, { email, role: "member" }, bob.token), 201, "invite")).invitation.id as string;
  await inviteTo(carol.email);
  await inviteTo(dave.email);
  const erin = await inviteTo("erin@example.com");
  await expectStatus(api("GET", `/v1/teams/${team.id}/invitations`, undefined, bob.token), 200, "list invitations");
  await expectStatus(api("DELETE", `/v1/teams/${team.id}/invitations/${erin}`, undefined, bob.token), 204, "withdraw an invitation");
  const [forCarol] = (await expectStatus(api("GET", "/v1/me/invitations", undefined, carol.token), 200, "my invitations")).items;
  const member = (await expectStatus(api("POST", `/v1/me/invitations/${forCarol.id}/accept`, undefined, carol.token), 201, "accept")).member;
  const [forDave] = (await expectStatus(api("GET", "/v1/me/invitations", undefined, dave.token), 200, "my invitations")).items;
  await expectStatus(api("DELETE", `/v1/me/invitations/${forDave.id}`, undefined, dave.token), 204, "decline");
  await expectStatus(api("GET", "/v1/me/teams", undefined, carol.token), 200, "my teams");
  // A join that crashed after its decisive write (the user's side): the consumer of the event it owed finishes it.
  const frank = (await expectStatus(api("GET", "/v1/me", undefined, (await signUp("frank")).token), 200, "me")).user;
  const joinedAt = new Date().toISOString();
  const added = parseEvent("TeamMemberAdded", {
    eventId: randomUUID(), occurredAt: joinedAt, actor: frank.id, userId: frank.id, teamId: team.id, role: "member",
  });
  expect(await runtime.deps.memberships.join(frank.id, { teamId: team.id, role: "member", joinedAt }, 100, [added])).toBe("joined");
  await bus.idle();
  // …and a removal that crashed after its own (the user's side gone, the team still listing them).
  const removed = parseEvent("TeamMemberRemoved", {
    eventId: randomUUID(), occurredAt: new Date().toISOString(), actor: frank.id, userId: frank.id, teamId: team.id, role: "member",
  });
  expect(await runtime.deps.memberships.leave(frank.id, team.id, joinedAt, undefined, [removed])).toBe("left");
  await bus.idle();
  await expectStatus(api("GET", `/v1/teams/${team.id}/members`, undefined, bob.token), 200, "list members");
  await expectStatus(api("PUT", `/v1/teams/${team.id}/enforcement`, { enabled: true }, bob.token), 202, "enforce 2FA");
  await bus.idle();
  await expectStatus(api("PUT", `/v1/teams/${team.id}/enforcement`, { enabled: true }, bob.token), 202, "enforce 2FA again: as it is");
  await expectStatus(api("GET", `/v1/teams/${team.id}/enforcement`, undefined, bob.token), 200, "enforcement");
  await expectStatus(api("POST", `/v1/teams/${team.id}/members/${member.userId}/two-factor-reset`, undefined, bob.token), 202, "reset a member");
  expect((await sweepResets()).applied).toBe(1);
  await expectStatus(api("GET", `/v1/teams/${team.id}/audit-events`, undefined, bob.token), 200, "team audit log");
  await expectStatus(api("DELETE", `/v1/teams/${team.id}/members/${member.userId}`, undefined, bob.token), 204, "remove member");
  // The release has not moved yet (deliveries held): with no stall allowed, the stalled-rollout sweep resumes it.
  bus.pauseDeliveries();
  await expectStatus(api("PUT", `/v1/teams/${team.id}/enforcement`, { enabled: false }, bob.token), 202, "stop enforcing");
  expect((await sweepRollouts()).resumed).toBe(1);
  bus.resumeDeliveries();
  await bus.idle(); // the release: bob may remove his only factor again
  // A watch left by a change that lost its write: the sweep drops it.
  await runtime.deps.teams.watchRollout(team.id, 1);
  expect((await sweepRollouts()).resumed).toBe(0);
  await expectStatus(api("PATCH", `/v1/me/security-keys/${key.id}`, { name: "office key" }, bob.token), 200, "rename");
  await expectStatus(api("DELETE", `/v1/me/security-keys/${key.id}`, undefined, bob.token), 204, "remove");
  await expectStatus(api("GET", "/v1/me/security-events", undefined, bob.token), 200, "security log");
  await expectStatus(api("POST", "/v1/auth/logout", undefined, bob.token), 204, "logout");

  // SES reports a hard bounce on the default bus (locally the one bus): the mail-feedback consumer records it.
  const bounce = sesFeedback("bounced", [dave.email]);
  await runtime.clients.eventBridge.send(new PutEventsCommand({
    Entries: [{ Source: "aws.ses", DetailType: bounce.detailType, Detail: JSON.stringify(bounce.detail) }],
  }));
  await bus.idle();

  // EventBridge refusing: the relay backlogs the event and the sweep publishes it later; the sweep also
  // moves what the outbox index still holds from before the table's stream (an item written as it did).
  bus.refuseNextEntries(1_000);
  await expectStatus(api("POST", "/v1/auth/login", { email: ada.email, password: PASSWORD }), 201, "login, bus refusing");
  await bus.idle();
  bus.refuseNextEntries(0);
  const legacy = parseEvent("LoginFailed", { eventId: randomUUID(), occurredAt: new Date().toISOString(), actor: "usr_legacy", userId: "usr_legacy", stage: "password", method: "password" });
  await runtime.table.update({ pk: "LEGACY#outbox", sk: "ITEM" }, {
    set: { [`owed_${legacy.detail.eventId}`]: JSON.stringify(legacy), outboxShard: "pending#0", outboxDue: 0 }, add: { outboxSeq: 1 },
  });
  expect((await sweepOutbox()).published).toBeGreaterThan(1);
  await bus.idle(); // the consumers take every event of the tour
}
