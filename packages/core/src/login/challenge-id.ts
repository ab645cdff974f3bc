import { newToken, sha256 } from "../common/tokens.js";

/**
 * A login challenge's id is `<userId>.<256 random bits>`, like a session token: the user id tells
 * the store which partition holds the challenge (the one that `Accounts.load` reads anyway), the
 * random part is the secret. Clients treat it as opaque; only its SHA-256 is stored.
 */
const CHALLENGE_ID = /^(usr_[A-Za-z0-9_-]{1,64})\.[A-Za-z0-9_-]{43}$/;

export function newChallengeId(userId: string): { id: string; idHash: string } {
  const id = `${userId}.${newToken()}`;
  return { id, idHash: sha256(id) };
}

/** The user an id names and the hash it is stored under; undefined for an id no challenge can have. */
export function parseChallengeId(id: string): { userId: string; idHash: string } | undefined {
  const match = CHALLENGE_ID.exec(id);
  return match ? { userId: match[1]!, idHash: sha256(id) } : undefined;
}
