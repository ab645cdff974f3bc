import { EmailTakenError, type Account, type Accounts, type RecoveryCodeSet, type TotpFactor, type UserProfile } from "@twofactor/core";
import { toAttemptState } from "./attempts-store.js";
import { toChallenges } from "./challenges-store.js";
import { toSecurityKey } from "./factors-store.js";
import { keys } from "./keys.js";
import { fromStoredSealed } from "./sealed-secret.js";
import { KEY_ATTRIBUTE_PREFIX, toSecurityState } from "./security-state.js";
import { storedDevices } from "./trusted-devices-store.js";
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
    const items = await this.table.queryAll({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.userPartition(userId) },
      ConsistentRead: true,
    });
    const bySk = new Map(items.map((item) => [item.sk as string, item]));
    const profile = bySk.get("PROFILE");
    if (!profile) return undefined;
    const factors = bySk.get("FACTORS");
    const password = bySk.get("ATTEMPTS#password");
    return {
      ...toSecurityState(factors),
      profile: toProfile(profile),
      totp: toTotp(factors),
      recovery: toRecovery(factors),
      securityKeys: Object.entries(factors ?? {})
        .filter(([name]) => name.startsWith(KEY_ATTRIBUTE_PREFIX))
        .map(([name, stored]) => toSecurityKey(name.slice(KEY_ATTRIBUTE_PREFIX.length), stored as Item))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
      attempts: {
        ...(factors ? { second_factor: toAttemptState(factors) } : {}),
        ...(password ? { password: toAttemptState(password) } : {}),
      },
      devices: storedDevices(items),
      challenges: toChallenges(userId, factors),
    };
  }

  async profiles(userIds: readonly string[]): Promise<UserProfile[]> {
    if (userIds.length === 0) return [];
    return (await this.table.getMany(userIds.map(keys.profile))).map(toProfile);
  }
}

function toProfile(item: Item): UserProfile {
  return { id: item.id as string, email: item.email as string, name: item.name as string, createdAt: item.createdAt as string };
}

function toTotp(item: Item | undefined): TotpFactor | undefined {
  if (!item?.totpStatus) return undefined;
  return {
    status: item.totpStatus as TotpFactor["status"],
    sealedSecret: fromStoredSealed(item.totpSecret),
    lastUsedStep: item.lastUsedStep as number | undefined,
    activatedAt: item.totpActivatedAt as string | undefined,
  };
}

function toRecovery(item: Item | undefined): RecoveryCodeSet | undefined {
  return item?.recoveryCodes
    ? { codes: item.recoveryCodes as Record<string, boolean>, generatedAt: item.recoveryGeneratedAt as string }
    : undefined;
}
