import type { CredentialClaims } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Table } from "./table.js";

/** `CREDENTIAL#<id>` → owner: a conditional put that succeeds for a free credential or its own owner. */
export class CredentialClaimsStore implements CredentialClaims {
  constructor(private readonly table: Table) {}

  claim(credentialId: string, userId: string): Promise<boolean> {
    return this.table.update(keys.credential(credentialId), {
      set: { userId },
      condition: "attribute_not_exists(userId) OR userId = :me",
      values: { ":me": userId },
    }).then((item) => item !== undefined);
  }

  async release(credentialId: string, userId: string): Promise<void> {
    await this.table.delete(keys.credential(credentialId), "userId = :me", { ":me": userId });
  }
}
