/**
 * The domain's error family. Each error names a stable `code` (the API's machine-readable string)
 * and a `kind` that the HTTP edge maps to a status once; nothing here knows about HTTP.
 * A wrong code is not an exception inside the maths (see totp/totp-code.ts); these are the outcomes
 * a use case refuses with.
 */
export type ErrorKind =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "invalid"
  | "unavailable";

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidCredentialsError extends DomainError {
  readonly code = "invalid_credentials";
  readonly kind = "unauthenticated";
  constructor() { super("The email or password is wrong."); }
}

export class InvalidCodeError extends DomainError {
  readonly code = "invalid_code";
  readonly kind = "unauthenticated";
  constructor() { super("The code is wrong, was already used, or has expired."); }
}

export class InvalidAssertionError extends DomainError {
  readonly code = "invalid_assertion";
  readonly kind = "unauthenticated";
  constructor() { super("The security key's response was refused."); }
}

export class UnauthenticatedError extends DomainError {
  readonly code = "unauthenticated";
  readonly kind = "unauthenticated";
  constructor() { super("A valid session token is required."); }
}

export class ChallengeNotFoundError extends DomainError {
  readonly code = "challenge_not_found";
  readonly kind = "not_found";
  constructor() { super("The login challenge is unknown, already used, or expired. Sign in again."); }
}

export class TooManyAttemptsError extends DomainError {
  readonly code = "too_many_attempts";
  readonly kind = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed attempts. Try again in ${retryAfterSeconds} seconds.`);
  }
}

export class EmailTakenError extends DomainError {
  readonly code = "email_taken";
  readonly kind = "conflict";
  constructor() { super("An account with this email already exists."); }
}

export class TotpAlreadyEnabledError extends DomainError {
  readonly code = "totp_already_enabled";
  readonly kind = "conflict";
  constructor() { super("An authenticator app is already active. Remove it before enrolling another."); }
}

export class TotpEnrollmentNotStartedError extends DomainError {
  readonly code = "totp_enrollment_not_started";
  readonly kind = "conflict";
  constructor() { super("Start enrollment with POST /v1/me/totp before activating."); }
}

export class TotpNotEnabledError extends DomainError {
  readonly code = "totp_not_enabled";
  readonly kind = "conflict";
  constructor() { super("No authenticator app is active on this account."); }
}

export class TwoFactorNotEnabledError extends DomainError {
  readonly code = "two_factor_not_enabled";
  readonly kind = "conflict";
  constructor() { super("Two-factor authentication is not enabled on this account."); }
}

export class SecurityKeyNotFoundError extends DomainError {
  readonly code = "security_key_not_found";
  readonly kind = "not_found";
  constructor() { super("No such security key on this account."); }
}

export class TooManySecurityKeysError extends DomainError {
  readonly code = "too_many_security_keys";
  readonly kind = "conflict";
  constructor(readonly max: number) { super(`An account can have at most ${max} security keys. Remove one first.`); }
}

/** WebAuthn §7.1 step 22: a credential id already registered to any account is refused. */
export class CredentialAlreadyRegisteredError extends DomainError {
  readonly code = "credential_already_registered";
  readonly kind = "conflict";
  constructor() { super("This security key is already registered."); }
}

/** The factors changed while this request was deciding on them (a concurrent change won). */
export class FactorsChangedError extends DomainError {
  readonly code = "conflict";
  readonly kind = "conflict";
  constructor() { super("Your second factors changed meanwhile. Reload and try again."); }
}

/** Sudo mode: changing factors needs a second factor proved recently in this session. */
export class ReauthenticationRequiredError extends DomainError {
  readonly code = "reauthentication_required";
  readonly kind = "forbidden";
  constructor() { super("Confirm it is you: prove a second factor again (POST /v1/me/reauthenticate), then retry."); }
}

export class NoSecurityKeysError extends DomainError {
  readonly code = "no_security_keys";
  readonly kind = "conflict";
  constructor() { super("This account has no security key; use another method of the challenge."); }
}

/** The registration response did not verify (wrong challenge, origin or relying party, or malformed). */
export class InvalidRegistrationError extends DomainError {
  readonly code = "invalid_registration";
  readonly kind = "invalid";
  constructor() { super("The security key's registration response was refused. Request new options and try again."); }
}

export class DeviceNotFoundError extends DomainError {
  readonly code = "device_not_found";
  readonly kind = "not_found";
  constructor() { super("No such trusted device on this account."); }
}

export class InvalidCursorError extends DomainError {
  readonly code = "invalid_cursor";
  readonly kind = "invalid";
  constructor() { super("The cursor is not one this API issued."); }
}

export class TeamNotFoundError extends DomainError {
  readonly code = "team_not_found";
  readonly kind = "not_found";
  constructor() { super("No such team, or you are not a member of it."); }
}

export class MemberNotFoundError extends DomainError {
  readonly code = "member_not_found";
  readonly kind = "not_found";
  constructor() { super("No such member in this team."); }
}

export class InvitationNotFoundError extends DomainError {
  readonly code = "invitation_not_found";
  readonly kind = "not_found";
  constructor() { super("No such invitation: it may have expired, been withdrawn, or be meant for someone else."); }
}

export class AlreadyInvitedError extends DomainError {
  readonly code = "already_invited";
  readonly kind = "conflict";
  constructor() { super("This address already has a live invitation to the team."); }
}

export class TooManyInvitationsError extends DomainError {
  readonly code = "too_many_invitations";
  readonly kind = "conflict";
  constructor(readonly max: number) { super(`A team can have at most ${max} open invitations. Withdraw some first.`); }
}

export class TooManyTeamsError extends DomainError {
  readonly code = "too_many_teams";
  readonly kind = "conflict";
  constructor(readonly max: number) { super(`An account can belong to at most ${max} teams.`); }
}

export class ResetPendingError extends DomainError {
  readonly code = "reset_pending";
  readonly kind = "conflict";
  constructor() { super("A reset of this member's two-factor authentication is already pending."); }
}

/** The caller's role in the team does not allow this (docs/api.md, Teams). */
export class TeamForbiddenError extends DomainError {
  readonly code = "forbidden";
  readonly kind = "forbidden";
  constructor(message = "Your role in this team does not allow this.") { super(message); }
}

export class AlreadyMemberError extends DomainError {
  readonly code = "already_member";
  readonly kind = "conflict";
  constructor() { super("Someone with this address is already a member of the team."); }
}

export class LastOwnerError extends DomainError {
  readonly code = "last_owner";
  readonly kind = "conflict";
  constructor() { super("A team keeps at least one owner. Add another owner first."); }
}

export class AdminNeedsTwoFactorError extends DomainError {
  readonly code = "admin_needs_two_factor";
  readonly kind = "conflict";
  constructor() { super("Turn on two-factor authentication for your own account first."); }
}

/** Removing the last factor while a team enforces 2FA would leave the user without the 2FA it requires. */
export class EnforcedByTeamError extends DomainError {
  readonly code = "enforced_by_team";
  readonly kind = "conflict";
  constructor() { super("A team you belong to enforces two-factor authentication: add another factor before removing this one."); }
}

/** A store or key service could not be reached; the operation changed nothing it could not repair. */
export class DependencyUnavailableError extends DomainError {
  readonly code = "service_unavailable";
  readonly kind = "unavailable";
}

/**
 * A mail transport answered that it did not take the message: nothing went out, so the notifier
 * gives its claim back and the queue tries again. Not a domain refusal: no HTTP route sees it.
 */
export class MailNotSentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MailNotSentError";
  }
}
