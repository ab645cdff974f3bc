export const SECURITY_KEY_PREFIX = "KEY#";

/** Every key of the single table, in one place. A user's state shares one partition: one query reads it. */
export const keys = {
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: "PROFILE" }),
  totp: (userId: string) => ({ pk: `USER#${userId}`, sk: "TOTP" }),
  recoveryCodes: (userId: string) => ({ pk: `USER#${userId}`, sk: "RECOVERY_CODES" }),
  attempts: (userId: string, scope: string) => ({ pk: `USER#${userId}`, sk: `ATTEMPTS#${scope}` }),
  /** One item per security key, beside the user's other factors (AccountsStore.load reads them with the rest). */
  securityKey: (userId: string, credentialId: string) => ({ pk: `USER#${userId}`, sk: `${SECURITY_KEY_PREFIX}${credentialId}` }),
  userPartition: (userId: string) => `USER#${userId}`,
  email: (email: string) => ({ pk: `EMAIL#${email}`, sk: "CREDENTIALS" }),
  challenge: (idHash: string) => ({ pk: `CHALLENGE#${idHash}`, sk: "CHALLENGE" }),
  webauthnChallenge: (challengeHash: string) => ({ pk: `WEBAUTHN#${challengeHash}`, sk: "CHALLENGE" }),
  session: (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: "SESSION" }),
  userAudit: (userId: string) => `AUDIT#USER#${userId}`,
};
