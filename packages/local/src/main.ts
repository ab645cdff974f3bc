import { resolve } from "node:path";
import { startLocalRuntime } from "./runtime.js";

/** `npm start`: the whole system on this machine, data kept under $DATA_DIR. */
const dataDir = resolve(process.env.DATA_DIR ?? ".data");
const port = Number(process.env.PORT ?? 3000);

const system = await startLocalRuntime({
  dataDir,
  port,
  trustProxy: process.env.TRUST_PROXY === "1",
  corsOrigins: process.env.CORS_ORIGINS?.split(",").map((origin) => origin.trim()).filter(Boolean),
  totpIssuer: process.env.TOTP_ISSUER,
  webauthn: {
    rpId: process.env.WEBAUTHN_RP_ID || undefined,
    origins: process.env.WEBAUTHN_ORIGINS?.split(",").map((origin) => origin.trim()).filter(Boolean),
    rpName: process.env.WEBAUTHN_RP_NAME || undefined,
  },
  log: (line) => console.log(line),
});
console.log(`twofactor listening on ${system.url} (127.0.0.1:${system.port}), data in ${dataDir}`);
console.log(`security mails are written to ${system.mailDir} (one .eml file each; docs/notifications.md)`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    system.stop().then(() => process.exit(0), (error: unknown) => { console.error(error); process.exit(1); });
  });
}
