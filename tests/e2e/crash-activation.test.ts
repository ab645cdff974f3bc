import { afterEach, describe, expect, it } from "vitest";
import { signUpAndLogin, type TestUser } from "../support/flows.js";
import { totpCode } from "../support/authenticator.js";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";
import { useTempDirs } from "../support/temp-dir.js";

const newDataDir = useTempDirs("crash");

/**
 * Crash injection: the server process is SIGKILLed while activations are in flight, then started
 * again on the same data. No account may be left with 2FA on and no recovery codes.
 */
const servers: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.kill()));
});

async function start(dataDir: string) {
  const server = await startServerProcess(dataDir);
  servers.push(server);
  return server;
}

describe("a crash during activations", () => {
  it("leaves every account either without TOTP or with TOTP and its 10 recovery codes", async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    const users: (TestUser & { secret: string })[] = [];
    for (let i = 0; i < 24; i++) {
      const user = await signUpAndLogin(first.api, `Crash${i}`);
      const enrollment = await first.api.post("/v1/me/totp", undefined, user.token);
      users.push({ ...user, secret: enrollment.body.secret });
    }

    // Fire all activations; kill the process as soon as the first one has answered. The server
    // process reads the wall clock and accepts a step either side of its own, so a code of the
    // current step holds for at least 30 s, whenever in its step the burst starts.
    let answered = 0;
    const inFlight = users.map((user) =>
      first.api.post("/v1/me/totp/activate", { code: totpCode(user.secret, new Date()) }, user.token)
        .then((res) => { answered++; if (answered === 1) void first.kill(); return res.status; }, () => "killed"));
    const outcomes = await Promise.all(inFlight);
    servers.splice(servers.indexOf(first), 1);
    expect(outcomes.every((o) => o === 200 || o === "killed"), String(outcomes)).toBe(true);

    const second = await start(dataDir);
    let on = 0;
    for (const user of users) {
      const me = (await second.api.get("/v1/me", user.token)).body.user;
      if (me.twoFactor.enabled) {
        on++;
        expect(me.recoveryCodesRemaining, user.email).toBe(10);
      } else {
        expect(me.recoveryCodesRemaining).toBe(0);
        // Not activated: the same activation can simply be retried, and answers the codes.
        // The next step: never one the burst used, and it holds for at least 30 s too.
        const retry = await second.api.post("/v1/me/totp/activate", { code: totpCode(user.secret, new Date(Date.now() + 30_000)) }, user.token);
        expect(retry.status).toBe(200);
        expect(retry.body.recoveryCodes).toHaveLength(10);
      }
    }
    console.info(`crash during 24 activations: ${outcomes.filter((o) => o === 200).length} answered, ${on} on after restart`);
  }, 180_000); // two server processes and 24 accounts: slow on a loaded 2-core machine, never timed
});
