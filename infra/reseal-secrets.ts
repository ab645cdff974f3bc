import { resolve } from "node:path";
import { resealSecrets } from "@twofactor/aws";
import { startLocalRuntime } from "@twofactor/local";
import { readConfig } from "@twofactor/functions/config";
import { vaultFor } from "@twofactor/functions/composition";

/**
 * `npm run reseal-secrets`: seals every active TOTP secret that the keyring before the hierarchical
 * one sealed (raw AES key file locally, plain KMS keyring on AWS) anew with the hierarchical keyring
 * (packages/aws/src/keyring/reseal-secrets.ts says how it keeps clear of concurrent changes). Run
 * it once after the deployment that brings the hierarchical keyring; running it again changes
 * nothing. Locally (no KMS_KEY_ARN in the environment) it opens the data under $DATA_DIR (`.data`)
 * with its own embedded runtime, so stop `npm start` first. On AWS it runs with the stage's
 * environment (TABLE_NAME, KMS_KEY_ARN, BRANCH_KEY_TABLE_NAME) and credentials the key policy lets
 * decrypt, which only the vault functions' roles are (README, "KMS hierarchical keyring").
 */
const local = process.env.KMS_KEY_ARN ? undefined : await startLocalRuntime({ dataDir: resolve(process.env.DATA_DIR ?? ".data") });
try {
  const config = readConfig();
  const table = local ? local.runtime.table : (await import("@twofactor/functions/composition")).table();
  const report = await resealSecrets(table, vaultFor(config));
  console.log(`examined ${report.examined} active authenticator apps: ${report.resealed} resealed, ${report.changedMeanwhile} changed by their user meanwhile (left as they are)`);
} finally {
  await local?.stop();
}
