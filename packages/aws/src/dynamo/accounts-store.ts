import { EmailTakenError, type Account, type Accounts, type AttemptState, type LockScope, type RecoveryCodeSet, type TotpFactor, type UserProfile } from "@twofactor/core";
import { keys, SECURITY_KEY_PREFIX } from "./keys.js";
import { toSecurityKey } from "./security-keys-store.js";
import type { Item, Table } from "./table.js";

export class AccountsStore implements Accounts {
  constructor(private readonly table: Table) {}

  /**
   * The profile is written first and the email claimed second (a unique claim by conditional put).
   * A crash between leaves a profile nobody can reach, never a claim without a user.
   */
  async create(profile: UserProfile, passwordHash: string): Promise<void> {
    await this.table.put({ ...keys.profile(profile.id), ...profile }, "attribute_not_exists(pk)");
    const claimed = await this.table.put(
      { ...keys.email(profile.email), userId: profile.id, passwordHash },
      "attribute_not_exists(pk)",
    );
    if (!claimed) {
      await this.table.delete(keys.profile(profile.id));
      throw new EmailTakenError();
    }
  }

  async findCredentials(email: string) {
    const item = await this.table.get(keys.email(email));
    return item ? { userId: item.userId as string, passwordHash: item.passwordHash as string } : undefined;
  }

  async load(userId: string): Promise<Account | undefined> {
    const { items } = await this.table.query({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.userPartition(userId) },
      ConsistentRead: true,
    });
    const bySk = new Map(items.map((item) => [item.sk as string, item]));
    const profile = bySk.get("PROFILE");
    if (!profile) return undefined;
    return {
      profile: { id: profile.id, email: profile.email, name: profile.name, createdAt: profile.createdAt } as UserProfile,
      totp: toTotp(bySk.get("TOTP")),
      recovery: toRecovery(bySk.get("RECOVERY_CODES")),
      securityKeys: items
        .filter((item) => (item.sk as string).startsWith(SECURITY_KEY_PREFIX))
        .flatMap((item) => toSecurityKey(item) ?? [])
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
      attempts: Object.fromEntries(
        (["password", "second_factor"] as LockScope[]).flatMap((scope) => {
          const item = bySk.get(`ATTEMPTS#${scope}`);
          return item ? [[scope, toAttempts(item)]] : [];
        }),
      ),
    };
  }
}

function toTotp(item: Item | undefined): TotpFactor | undefined {
  if (!item) return undefined;
  return {
    status: item.status as TotpFactor["status"],
    sealedSecret: item.sealedSecret as string | undefined,
    lastUsedStep: item.lastUsedStep as number | undefined,
    activatedAt: item.activatedAt as string | undefined,
  };
}

function toRecovery(item: Item | undefined): RecoveryCodeSet | undefined {
  return item ? { codes: (item.codes ?? {}) as Record<string, boolean>, generatedAt: item.generatedAt as string } : undefined;
}

function toAttempts(item: Item): AttemptState {
  return { failures: (item.failures as number | undefined) ?? 0, lockedUntil: item.lockedUntil as string | undefined };
}
