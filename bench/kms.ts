/**
 * The KMS figure of `npm run bench` (also `npx tsx bench/kms.ts` alone): TOTP verifications on a
 * fresh embedded runtime, KMS requests counted at the local KMS endpoint. The count starts after the
 * enrollment's seal (which reads the active branch key) and before the activation, the first
 * verification, so the cold read of the branch key version the verifications use is counted. Each
 * verification is `POST /v1/me/reauthenticate {code}`: the same vault open as a login's code step,
 * without the argon2 password step that would only slow the run. Prints; never passes or fails.
 */
import { pathToFileURL } from "node:url";
import { startLocalRuntime } from "@twofactor/local";
import { client } from "../tests/support/api.js";
import { totpCode } from "../tests/support/authenticator.js";

const PASSWORD = "correct horse battery staple";
const STEP_MS = 30_000;

export async function benchKms(verifications = Number(process.env.BENCH_KMS_VERIFICATIONS ?? 1000)): Promise<string[]> {
  // The runtime's clock moves one TOTP step per verification: each code is new (a spent step is refused).
  let now = Date.now();
  const system = await startLocalRuntime({ bus: { attempts: 3, baseDelayMs: 20 }, clock: { now: () => new Date(now) } });
  try {
    const api = client(system.url);
    const email = `bench-kms-${Date.now()}@example.com`;
    await api.post("/v1/users", { email, password: PASSWORD, name: "Bench" });
    const token = (await api.post("/v1/auth/login", { email, password: PASSWORD })).body.session.token;
    const before = { ...system.kms.requests };
    const secret = (await api.post("/v1/me/totp", undefined, token)).body.secret as string;
    const seal = diff(before, system.kms.requests);

    const start = { ...system.kms.requests };
    let accepted = (await api.post("/v1/me/totp/activate", { code: totpCode(secret, new Date(now)) }, token)).status === 200 ? 1 : 0;
    for (let i = 1; i < verifications; i++) {
      now += STEP_MS;
      const res = await api.post("/v1/me/reauthenticate", { code: totpCode(secret, new Date(now)) }, token);
      if (res.status === 200) accepted++;
    }
    const run = diff(start, system.kms.requests);
    const total = Object.values(run).reduce((sum, n) => sum + n, 0);
    const describe = (counts: Record<string, number>) => Object.entries(counts).map(([op, n]) => `${op} ${n}`).join(", ") || "none";
    return [
      `| TOTP verifications (activation, then reauthentications), branch key version not cached at the start | ${verifications} (${accepted} accepted) |`,
      `| KMS requests during them | ${total} (${describe(run)}) |`,
      `| **KMS requests per verification** (target ≤ 0.01) | **${(total / verifications).toFixed(4)}** |`,
      `| KMS requests of the enrollment's seal before them (active branch key, cold) | ${describe(seal)} |`,
    ];
  } finally {
    await system.stop();
  }
}

function diff(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([op, n]) => [op, n - (before[op] ?? 0)]).filter(([, n]) => n !== 0));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const rows = await benchKms();
  console.log("\n| KMS (hierarchical keyring, local KMS endpoint) | figure |\n| --- | --- |");
  for (const row of rows) console.log(row);
}
