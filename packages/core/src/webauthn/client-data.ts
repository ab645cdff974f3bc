import { sha256 } from "../common/tokens.js";

/**
 * The challenge a browser signed, read from `clientDataJSON` (base64url JSON, WebAuthn §5.8.1).
 * Undefined when it is not readable: the caller refuses such a response like any other wrong one.
 * Nothing here is trusted yet; the library's verification checks the same field again.
 */
export function signedChallenge(clientDataJSON: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    return typeof parsed.challenge === "string" && /^[A-Za-z0-9_-]{16,512}$/.test(parsed.challenge) ? parsed.challenge : undefined;
  } catch {
    return undefined;
  }
}

/** Challenges are stored by hash: the table never holds the value a browser will sign. */
export function challengeKey(challenge: string): string {
  return sha256(`webauthn:${challenge}`);
}
