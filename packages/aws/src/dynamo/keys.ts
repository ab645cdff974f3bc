/** Every key of the single table, in one place. A user's state shares one partition: one query reads it. */
export const keys = {
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: "PROFILE" }),
  totp: (userId: string) => ({ pk: `USER#${userId}`, sk: "TOTP" }),
  recoveryCodes: (userId: string) => ({ pk: `USER#${userId}`, sk: "RECOVERY_CODES" }),
  attempts: (userId: string, scope: string) => ({ pk: `USER#${userId}`, sk: `ATTEMPTS#${scope}` }),
  userPartition: (userId: string) => `USER#${userId}`,
  email: (email: string) => ({ pk: `EMAIL#${email}`, sk: "CREDENTIALS" }),
  challenge: (idHash: string) => ({ pk: `CHALLENGE#${idHash}`, sk: "CHALLENGE" }),
  session: (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: "SESSION" }),
  userAudit: (userId: string) => `AUDIT#USER#${userId}`,
};
