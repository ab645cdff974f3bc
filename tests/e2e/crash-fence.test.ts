import { rmSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { Client } from "../support/api.js";
import { totpCode } from "../support/authenticator.js";
import type { CrashPoint } from "../support/crash-point.js";
import { enableTotp, PASSWORD, signUpAndLogin, type TestUser } from "../support/flows.js";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";
import { invite, put } from "../support/teams.js";
import { useTempDirs } from "../support/temp-dir.js";

const newDataDir = useTempDirs("crash-fence");

/**
 * SIGKILL right after the write that decides a change, before anything that follows it, then a
 * restart on the same data: what the change promised holds from its one write (and what follows it
 * is finished by the consumer of the event that write owed).
 */
const servers: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.kill()));
});

interface Crashing {
  first: ServerProcess;
  /** Arms the crash: the first store call matching `point` kills the process once it is stored. */
  arm(point: Omit<CrashPoint, "sk">): void;
  /** The request the crash cuts short (it gets no answer), then the restart on the same data. */
  crashOn(request: Promise<unknown>): Promise<ServerProcess>;
}

async function crashing(env: Record<string, string> = {}): Promise<Crashing> {
  const dataDir = newDataDir();
  const pointFile = `${dataDir}.crash-point.json`;
  const first = await startServerProcess(dataDir, { ...env, CRASH_POINT_FILE: pointFile });
  servers.push(first);
  return {
    first,
    arm: (point) => writeFileSync(pointFile, JSON.stringify({ sk: "FACTORS", ...point } satisfies CrashPoint)),
    async crashOn(request) {
      expect(await request.then(() => "answered", () => "killed")).toBe("killed");
      rmSync(pointFile, { force: true });
      await first.kill();
      const second = await startServerProcess(dataDir, env);
      servers.push(second);
      return second;
    },
  };
}

/** The server processes read the wall clock, not the test file's clock (which other files may have moved on). */
const wallClockStepBack = () => new Date(Date.now() - 30_000);

/** Asks until `check` holds: the consumers of the restarted process run after it listens. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("never came true");
}

async function enforcingTeam(api: Client): Promise<{ owner: TestUser; team: string }> {
  const owner = await signUpAndLogin(api, "Owner");
  await enableTotp(api, owner, wallClockStepBack());
  const team = (await api.post("/v1/teams", { name: "Crash" }, owner.token)).body.team.id as string;
  expect((await put(api, `/v1/teams/${team}/enforcement`, { enabled: true }, owner.token)).status).toBe(202);
  await eventually(async () => (await api.get(`/v1/teams/${team}/enforcement`, owner.token)).body.enforcement.rollout.state === "complete");
  return { owner, team };
}

describe("a crash right after the decisive write", () => {
  it("of an activation: the other sessions are over, the one that turned 2FA on lives", { timeout: 60_000 }, async () => {
    const run = await crashing();
    const { api } = run.first;
    const user = await signUpAndLogin(api, "Activator");
    const others = await Promise.all([1, 2].map(async () => (await api.post("/v1/auth/login", { email: user.email, password: PASSWORD })).body.session.token as string));
    const enrollment = await api.post("/v1/me/totp", undefined, user.token);
    run.arm({ pk: `USER#${user.id}`, mentions: "epochKeep" });
    const second = await run.crashOn(api.post("/v1/me/totp/activate", { code: totpCode(enrollment.body.secret, new Date()) }, user.token));

    for (const token of others) expect((await second.api.get("/v1/me", token)).status).toBe(401);
    const me = await second.api.get("/v1/me", user.token);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ twoFactor: { enabled: true }, recoveryCodesRemaining: 10 });
  });

  it("of an accept: the member is held at once, and the team's side is finished after the restart", { timeout: 60_000 }, async () => {
    const run = await crashing();
    const { api } = run.first;
    const { owner, team } = await enforcingTeam(api);
    const joiner = await signUpAndLogin(api, "Joiner");
    const invitation = await invite(api, team, owner, joiner.email, "member");
    run.arm({ pk: `USER#${joiner.id}`, mentions: "attribute_not_exists(#team)" });
    const second = await run.crashOn(api.post(`/v1/me/invitations/${invitation}/accept`, undefined, joiner.token));

    const held = await second.api.get(`/v1/teams/${team}`, joiner.token);
    expect([held.status, held.body.code]).toEqual([403, "two_factor_setup_required"]);
    await eventually(async () => (await second.api.get(`/v1/teams/${team}/members`, owner.token)).body.items
      .some((member: { userId: string; needsSetup: boolean }) => member.userId === joiner.id && member.needsSetup));
    expect((await second.api.get(`/v1/teams/${team}`, owner.token)).body.team.memberCount).toBe(2);
  });

  it("of a removal: the member is free at once, and the team stops listing them after the restart", { timeout: 60_000 }, async () => {
    const run = await crashing();
    const { api } = run.first;
    const { owner, team } = await enforcingTeam(api);
    const member = await signUpAndLogin(api, "Leaver");
    expect((await api.post(`/v1/me/invitations/${await invite(api, team, owner, member.email, "member")}/accept`, undefined, member.token)).status).toBe(201);
    expect((await api.get("/v1/me/security-events", member.token)).status).toBe(403);
    run.arm({ pk: `USER#${member.id}`, mentions: "pendingReset.teamId" });
    const second = await run.crashOn(api.delete(`/v1/teams/${team}/members/${member.id}`, undefined, owner.token));

    expect((await second.api.get("/v1/me/security-events", member.token)).status).toBe(200);
    expect((await second.api.get(`/v1/teams/${team}`, member.token)).status).toBe(404);
    await eventually(async () => (await second.api.get(`/v1/teams/${team}/members`, owner.token)).body.items
      .every((listed: { userId: string }) => listed.userId !== member.id));
    expect((await second.api.get(`/v1/teams/${team}`, owner.token)).body.team.memberCount).toBe(1);
  });

  it("of a reset taking effect: every session of the member is over, and it is told once", { timeout: 60_000 }, async () => {
    const env = { TEAM_RESET_DELAY_SECONDS: "0" };
    const run = await crashing(env);
    const { api } = run.first;
    const { owner, team } = await enforcingTeam(api);
    const member = await signUpAndLogin(api, "LostPhone");
    expect((await api.post(`/v1/me/invitations/${await invite(api, team, owner, member.email, "member")}/accept`, undefined, member.token)).status).toBe(201);
    await enableTotp(api, member, wallClockStepBack());
    run.arm({ pk: `USER#${member.id}`, mentions: "pendingReset.due <=" });
    // The reset is due at once here; the member's next login (or the timers' sweep) writes it, and dies there.
    expect((await api.post(`/v1/teams/${team}/members/${member.id}/two-factor-reset`, undefined, owner.token)).status).toBe(202);
    const second = await run.crashOn(api.post("/v1/auth/login", { email: member.email, password: PASSWORD }));

    expect((await second.api.get("/v1/me", member.token)).status).toBe(401);
    const login = await second.api.post("/v1/auth/login", { email: member.email, password: PASSWORD });
    expect(login.body).toMatchObject({ status: "setup_required", user: { twoFactor: { enabled: false, pendingReset: null } } });
    await eventually(async () => (await second.api.get(`/v1/teams/${team}/audit-events?type=TwoFactorReset`, owner.token)).body.items.length > 0);
    expect((await second.api.get(`/v1/teams/${team}/audit-events?type=TwoFactorReset`, owner.token)).body.items).toHaveLength(1);
  });
});
