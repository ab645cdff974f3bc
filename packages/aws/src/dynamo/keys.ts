/** Every key of the single table, in one place. A user's state shares one partition: one query reads it. */
export const keys = {
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: "PROFILE" }),
  /** The second factors, their attempt budget and the login challenges they answer, on one item (FactorsStore, ChallengesStore). */
  factors: (userId: string) => ({ pk: `USER#${userId}`, sk: "FACTORS" }),
  attempts: (userId: string, scope: string) => ({ pk: `USER#${userId}`, sk: `ATTEMPTS#${scope}` }),
  /** A trusted device, beside the account that `load` reads whole (at most 20 live ones). */
  device: (userId: string, deviceId: string) => ({ pk: `USER#${userId}`, sk: `DEVICE#${deviceId}` }),
  userPartition: (userId: string) => `USER#${userId}`,
  email: (email: string) => ({ pk: `EMAIL#${email}`, sk: "CREDENTIALS" }),
  /** A security key's credential id, claimed by one account at most. */
  credential: (credentialId: string) => ({ pk: `CREDENTIAL#${credentialId}`, sk: "OWNER" }),
  network: (prefix: string) => ({ pk: `NETWORK#${prefix}`, sk: "FAILURES" }),
  webauthnChallenge: (challengeHash: string) => ({ pk: `WEBAUTHN#${challengeHash}`, sk: "CHALLENGE" }),
  /** A user's sessions sit in a partition of their own, apart from the account that `load` reads whole. */
  session: (userId: string, tokenHash: string) => ({ pk: `SESSIONS#${userId}`, sk: tokenHash }),
  sessionPartition: (userId: string) => `SESSIONS#${userId}`,
  userAudit: (userId: string) => `AUDIT#USER#${userId}`,
  teamAudit: (teamId: string) => `AUDIT#TEAM#${teamId}`,
  /** A team and its members share a partition: the team item, then `MEMBER#<userId>` items in a stable order. */
  team: (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: "TEAM" }),
  teamPartition: (teamId: string) => `TEAM#${teamId}`,
  member: (teamId: string, userId: string) => ({ pk: `TEAM#${teamId}`, sk: `MEMBER#${userId}` }),
  /** The user's side of a membership (joined, left), in the user's partition. */
  membership: (userId: string, teamId: string) => ({ pk: `USER#${userId}`, sk: `TEAM#${teamId}` }),
};
