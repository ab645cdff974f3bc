/**
 * Ids of the right shape that name nothing, for probing a route past its path check: a challenge id
 * is a user id, a dot and 43 base64url characters (256 bits), a key id any base64url, a device id `dev_` and 22, an invitation
 * id `inv_` and 22. Other parameters get
 * `probe-<name>`, which a route's path schema may refuse (a 400, still a 4xx).
 */
const PROBE_IDS: Record<string, string> = {
  challengeId: `${"usr_probeUser".padEnd(26, "A")}.${"probeChallenge".padEnd(43, "A")}`,
  keyId: "probe-keyId",
  deviceId: "dev_probeDevice".padEnd(26, "A"),
  teamId: "team_probeTeam".padEnd(27, "A"),
  userId: "usr_probeUser".padEnd(26, "A"),
  invitationId: "inv_probeInvitation".padEnd(26, "A"),
};

export const probeId = (name: string) => PROBE_IDS[name] ?? `probe-${name}`;

/** `/v1/auth/challenges/{challengeId}/totp` → a concrete path with probe ids. */
export const probePath = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => probeId(name));
