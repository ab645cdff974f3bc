/**
 * `npm run bench:fan-out`: the enforcement fan-out at 10,000 and 100,000 members (BENCH_TEAM_SIZES
 * to change them), each beside the raw conditional-update rate measured in the same runtime. Prints;
 * never passes or fails on time.
 */
import { startLocalRuntime } from "@twofactor/local";
import { client } from "../tests/support/api.js";
import { totpCode } from "../tests/support/authenticator.js";
import { benchEnforcement } from "./enforcement.js";

const PASSWORD = "correct horse battery staple";
const sizes = (process.env.BENCH_TEAM_SIZES ?? "10000,100000").split(",").map(Number);

console.log("| operation | result |\n| --- | --- |");
for (const size of sizes) {
  const system = await startLocalRuntime({ bus: { attempts: 3, baseDelayMs: 20 } });
  const api = client(system.url);
  const email = `admin-${size}@example.com`;
  await api.post("/v1/users", { email, password: PASSWORD, name: "Admin" });
  const token = (await api.post("/v1/auth/login", { email, password: PASSWORD })).body.session.token as string;
  const secret = (await api.post("/v1/me/totp", undefined, token)).body.secret as string;
  // Activation proves a second factor: the session may take privileged team actions at once.
  const activated = await api.post("/v1/me/totp/activate", { code: totpCode(secret, new Date()) }, token);
  if (activated.status !== 200) throw new Error(`activation: ${activated.status}`);
  for (const row of await benchEnforcement(system, api, { token }, size)) console.log(row);
  await system.stop();
}
