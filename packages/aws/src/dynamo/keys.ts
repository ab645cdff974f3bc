/** Every key of the single table, in one place. A user's state shares one partition: one query reads it. */
export const keys = {
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: "PROFILE" }),
  /**
   * The user's security state on one item: the second factors and their attempt budget, the login
   * challenges, the epoch (the fence), the memberships with the teams' holds, a pending reset
   * (FactorsStore, ChallengesStore, MembershipsStore).
   */
  factors: (userId: string) => ({ pk: `USER#${userId}`, sk: "FACTORS" }),
  attempts: (userId: string, scope: string) => ({ pk: `USER#${userId}`, sk: `ATTEMPTS#${scope}` }),
  /** A trusted device's place (one of a few), beside the account that `load` reads whole. */
  device: (userId: string, slot: number) => ({ pk: `USER#${userId}`, sk: `DEVICE#${String(slot).padStart(2, "0")}` }),
  userPartition: (userId: string) => `USER#${userId}`,
  email: (email: string) => ({ pk: `EMAIL#${email}`, sk: "CREDENTIALS" }),
  /** A security key's credential id, claimed by one account at most. */
  credential: (credentialId: string) => ({ pk: `CREDENTIAL#${credentialId}`, sk: "OWNER" }),
  network: (prefix: string) => ({ pk: `NETWORK#${prefix}`, sk: "FAILURES" }),
  webauthnChallenge: (challengeHash: string) => ({ pk: `WEBAUTHN#${challengeHash}`, sk: "CHALLENGE" }),
  /** A user's sessions sit in a partition of their own, apart from the account that `load` reads whole. */
  session: (userId: string, tokenHash: string) => ({ pk: `SESSIONS#${userId}`, sk: tokenHash }),
  userAudit: (userId: string) => `AUDIT#USER#${userId}`,
  teamAudit: (teamId: string) => `AUDIT#TEAM#${teamId}`,
  /** A team and its members share a partition: the team item, then `MEMBER#<userId>` items in a stable order. */
  team: (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: "TEAM" }),
  teamPartition: (teamId: string) => `TEAM#${teamId}`,
  member: (teamId: string, userId: string) => ({ pk: `TEAM#${teamId}`, sk: `MEMBER#${userId}` }),
  /** A segment of the team's enforcement rollout: its checkpoint, apart from the team item and the other segments'. */
  rolloutSegment: (teamId: string, index: number) => ({ pk: `TEAM#${teamId}`, sk: `ROLLOUT#${String(index).padStart(2, "0")}` }),
  rolloutSegmentPrefix: "ROLLOUT#",
  /** Every live invitation of a team, on one item (InvitationsStore). */
  teamInvitations: (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: "INVITATIONS" }),
  /** An invitation as its invitee finds it: under the invited address. */
  invitee: (email: string, invitationId: string) => ({ pk: `INVITEE#${email}`, sk: invitationId }),
  inviteePartition: (email: string) => `INVITEE#${email}`,
  /** A user's memberships, joined and left, for the team audit log; apart from what a login reads. */
  membershipHistory: (userId: string, teamId: string, joinedAt: string) => ({ pk: `MEMBERSHIPS#${userId}`, sk: `TEAM#${teamId}#${joinedAt}` }),
  membershipHistoryPartition: (userId: string) => `MEMBERSHIPS#${userId}`,
  /** Resets waiting for their time, in the order they come due. */
  resetTimer: (effectiveAt: string, userId: string, resetId: string) => ({ pk: "TIMERS#RESET", sk: `${effectiveAt}#${userId}#${resetId}` }),
  resetTimerPartition: "TIMERS#RESET",
  /** Rollouts under way, watched until they complete so that one that stalls is resumed. */
  rolloutWatch: (teamId: string) => ({ pk: "TIMERS#ROLLOUT", sk: teamId }),
  rolloutWatchPartition: "TIMERS#ROLLOUT",
  /** An event's mail: claimed once before it is sent, then what became of it (MailLogStore). */
  mail: (eventId: string) => ({ pk: `MAIL#${eventId}`, sk: "NOTIFICATION" }),
  /** Mails to one address in one hour (`windowStart`), and those dropped over the rate. */
  mailRate: (address: string, windowStart: string) => ({ pk: `MAILRATE#${address}`, sk: windowStart }),
  /** An address that bounced hard or complained: not mailed again. */
  mailSuppression: (address: string) => ({ pk: `MAILSUPPRESSED#${address}`, sk: "SUPPRESSION" }),
};
