import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { TOTP_SECRET_PURPOSE } from "@twofactor/core";
import { fromStoredSealed, toStoredSealed } from "../dynamo/sealed-secret.js";
import type { Item, Table } from "../dynamo/table.js";
import type { EncryptionSdkVault } from "../secret-vault.js";

export interface ResealReport {
  /** Active authenticator apps looked at. */
  examined: number;
  /** Sealed anew by the vault's current keyring. */
  resealed: number;
  /** Changed by their user meanwhile (disabled, enrolled anew): left as they are now. */
  changedMeanwhile: number;
}

/**
 * Seals every active TOTP secret that an older keyring sealed anew with the vault's keyring (the
 * one-off `npm run reseal-secrets`). Each is written only if the item still holds the very
 * ciphertext that was opened (`totpSecret = :old`), so a concurrent disable or re-enrollment wins and
 * nothing it wrote is overwritten. The secret itself does not change, so `factorsVersion` is left
 * alone: a factor change decided on the version it read still applies. Pending enrollments are left
 * out (activation checks the ciphertext it read); they are sealed by the current keyring once the
 * deployment that brings it is live, and a later run catches any that were activated meanwhile.
 */
export async function resealSecrets(table: Table, vault: EncryptionSdkVault): Promise<ResealReport> {
  const report: ResealReport = { examined: 0, resealed: 0, changedMeanwhile: 0 };
  let startKey: Item | undefined;
  do {
    const page = await table.client.send(new ScanCommand({
      TableName: table.name,
      FilterExpression: "sk = :factors AND totpStatus = :active",
      ExpressionAttributeValues: { ":factors": "FACTORS", ":active": "active" },
      ProjectionExpression: "pk, sk, totpSecret",
      ExclusiveStartKey: startKey,
    }));
    for (const item of page.Items ?? []) {
      report.examined++;
      const userId = String(item.pk).replace(/^USER#/, "");
      const context = { purpose: TOTP_SECRET_PURPOSE, userId };
      const opened = await vault.openAndAge(fromStoredSealed(item.totpSecret) ?? "", context);
      if (!opened.sealedByOlderKeyring) continue;
      const resealed = await vault.seal(opened.plaintext, context);
      const written = await table.update({ pk: item.pk, sk: item.sk }, {
        set: { totpSecret: toStoredSealed(resealed) },
        condition: "totpStatus = :active AND totpSecret = :old",
        values: { ":active": "active", ":old": item.totpSecret },
      });
      opened.plaintext.fill(0);
      if (written) report.resealed++;
      else report.changedMeanwhile++;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return report;
}
