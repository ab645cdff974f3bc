import { ApiError } from "./api.js";

/**
 * What a person reads for each problem `code` the API (or this page) answers: plain words, no
 * paths, ids or seconds. The API's `detail` is written for developers and never shown.
 */
const MESSAGES: Record<string, string | ((error: ApiError) => string)> = {
  // Signing in
  invalid_credentials: "The email or password is wrong.",
  invalid_code: "That code did not work: it is wrong, was already used, or has expired. Try the newest code.",
  invalid_assertion: "Your security key's answer was refused. Try again, or choose another way to verify.",
  challenge_not_found: "This sign-in took too long or was already used. Start over.",
  no_security_keys: "There is no security key on this account: choose another way to verify.",
  too_many_attempts: (error) => `Too many wrong attempts. Try again in ${minutes(error.retryAfterSeconds ?? secondsIn(error.detail))}.`,
  email_taken: "An account with this email already exists. Sign in instead.",
  // Sessions and holds that began elsewhere
  unauthenticated: "Your session ended. Sign in again.",
  reauthentication_required: "This change needs you to confirm it's you first. Try again and verify when asked.",
  two_factor_setup_required: "A team now requires you to set up two-factor authentication before you go on.",
  // Your own sign-in methods
  totp_already_enabled: "An authenticator app is already set up. Turn it off before setting up another.",
  totp_enrollment_not_started: "Start again with “Next - Scan barcode and verify”.",
  totp_not_enabled: "The authenticator app is already off.",
  two_factor_not_enabled: "Two-factor authentication is off on this account: turn it on first.",
  enforced_by_team: "A team you belong to requires two-factor authentication: add another method before removing this one.",
  security_key_not_found: "That security key was already removed.",
  too_many_security_keys: "You have as many security keys as an account may have. Remove one first.",
  credential_already_registered: "This security key is already registered.",
  invalid_registration: "The security key could not be added. Try again.",
  conflict: "Your sign-in methods changed meanwhile, in another tab or device. Reload the page and try again.",
  device_not_found: "That device was already forgotten.",
  // Teams
  team_not_found: "This team no longer exists, or you are no longer one of its members.",
  member_not_found: "That person is no longer a member of the team.",
  forbidden: "Your role in this team does not allow this.",
  admin_needs_two_factor: "Turn on two-factor authentication for your own account first.",
  last_owner: "A team keeps at least one owner: make someone else an owner first.",
  reset_pending: "A reset of this member's two-factor authentication is already pending.",
  already_member: "Someone with this address is already a member of the team.",
  already_invited: "This address already has an open invitation to the team.",
  too_many_invitations: "This team has as many open invitations as it may have. Withdraw some first.",
  invitation_not_found: "This invitation is no longer open: it expired, was withdrawn, or is meant for another address.",
  too_many_teams: "You belong to as many teams as an account may. Leave one first.",
  // The request itself, the server, the network
  validation_failed: (error) => error.fieldErrors.map((field) => fieldMessage(field.path)).filter(unique).join(" ") || "Check the form and try again.",
  invalid_cursor: "The list changed meanwhile. Reload the page.",
  payload_too_large: "That is too much text. Shorten it and try again.",
  unsupported_media_type: "The page could not send that. Reload it and try again.",
  malformed_json: "The page could not send that. Reload it and try again.",
  service_unavailable: "The service is briefly unavailable and nothing was changed. Try again in a moment.",
  internal_error: "Something went wrong on our side. Try again in a moment.",
  unexpected_answer: "The server gave an unexpected answer. Try again in a moment.",
  network_error: "The server could not be reached. Check your connection and try again.",
  // The browser's security-key prompt (@simplewebauthn/browser's codes)
  key_cancelled: "The security key prompt was closed or timed out. Try again, and touch the key when it blinks.",
  key_already_registered: "This security key is already registered to your account.",
  key_wrong_address: "Your browser offers security keys only at the console's own address (such as localhost), not at an IP address.",
  key_unsupported: "This browser cannot use security keys. Try a current version of Chrome, Edge, Firefox or Safari.",
  key_failed: "The security key did not answer. Unplug it, plug it in again, and retry.",
};

const FIELDS: Record<string, string> = {
  email: "Enter an email address such as name@example.com.",
  password: "Use a password of at least 12 characters.",
  name: "Use 1 to 64 characters, without invisible or control characters.",
  role: "Choose a role.",
  code: "Enter the code as it is shown.",
};

/** The words for a problem; a code this table does not know gets a general sentence, never the API's detail. */
export function messageFor(error: ApiError): string {
  const message = MESSAGES[error.code];
  if (typeof message === "function") return message(error);
  return message ?? "That did not work. Try again, or reload the page.";
}

/** Anything an action threw, as an ApiError with a code of the table: WebAuthn prompts fail in the browser, not at the API. */
export function asProblem(failure: unknown): ApiError {
  if (failure instanceof ApiError) return failure;
  const error = failure as { name?: string; code?: string; message?: string; cause?: { name?: string } };
  const code = error.code === "ERROR_INVALID_DOMAIN" || error.code === "ERROR_INVALID_RP_ID" || error.name === "SecurityError" ? "key_wrong_address"
    : error.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" ? "key_already_registered"
    : error.code === "ERROR_CEREMONY_ABORTED" || error.cause?.name === "NotAllowedError" || error.name === "NotAllowedError" ? "key_cancelled"
    : /WebAuthn is not supported/i.test(error.message ?? "") ? "key_unsupported"
    : error.name === "WebAuthnError" || failure instanceof DOMException ? "key_failed"
    : "client_error";
  return new ApiError(0, code, error.message ?? String(failure));
}

/** "15 minutes", rounded up: a lock is never shorter than it says. */
export function minutes(seconds: number | null): string {
  if (seconds === null) return "a few minutes";
  const count = Math.max(1, Math.ceil(seconds / 60));
  return count === 1 ? "1 minute" : `${count} minutes`;
}

/** A cross-origin API may hide `Retry-After` from scripts: the number its detail names then. */
function secondsIn(detail: string): number | null {
  const found = /(\d+) seconds?/.exec(detail);
  return found ? Number(found[1]) : null;
}

function fieldMessage(path: string): string {
  return FIELDS[path.split(".")[0]!] ?? "Check the form and try again.";
}

const unique = (item: string, index: number, all: string[]) => all.indexOf(item) === index;
