import type { Deps, RequestContext } from "../deps.js";
import { normalizeEmail } from "../accounts/email.js";
import { AlreadyInvitedError, AlreadyMemberError, InvalidCursorError, InvitationNotFoundError, TooManyInvitationsError, UnauthenticatedError } from "../errors.js";
import type { Invitation, Member, Page, PageRequest, TeamRole } from "../ports.js";
import type { AuthenticatedSession } from "../sessions/sessions.js";
import { newEvent } from "../common/events.js";
import { addSeconds } from "../common/time.js";
import { newId } from "../common/tokens.js";
import { callerMay } from "./authorization.js";
import { completeJoin, recordJoin } from "./membership.js";
import { requireTeam } from "./manage-team.js";
import { requirePrivilege } from "./privileged.js";
import { toMemberView, toMyInvitationView, toTeamInvitationView, type MemberView, type MyInvitationView, type TeamInvitationView } from "./views.js";

/** Roles whose invitation hands out management of the team: a privileged action. */
const MANAGING: readonly TeamRole[] = ["owner", "admin"];

/**
 * `POST /v1/teams/{teamId}/invitations`. Nobody joins a team without saying yes: this only invites.
 * The answer is the same whether or not an account has the address, so that inviting cannot probe
 * for accounts; only a current member's address is refused (the admins see the members anyway).
 */
export async function invite(
  deps: Deps,
  session: AuthenticatedSession,
  teamId: string,
  input: { email: string; role: TeamRole },
  context: RequestContext,
): Promise<TeamInvitationView> {
  await callerMay(deps, session, teamId, "invite", input.role);
  if (MANAGING.includes(input.role)) requirePrivilege(deps, session);
  const email = normalizeEmail(input.email);
  const credentials = await deps.accounts.findCredentials(email);
  if (credentials && (await deps.teams.member(teamId, credentials.userId))) throw new AlreadyMemberError();
  const [team, [inviter]] = await Promise.all([requireTeam(deps, teamId), deps.accounts.profiles([session.userId])]);
  if (!inviter) throw new UnauthenticatedError();

  const now = deps.clock.now();
  const invitation: Invitation = {
    id: newId("inv"), teamId, teamName: team.name, email, role: input.role,
    invitedBy: session.userId, invitedByName: inviter.name,
    createdAt: now.toISOString(), expiresAt: addSeconds(now, deps.policy.invitationTtlSeconds).toISOString(),
  };
  const created = newEvent("TeamInvitationCreated", {
    teamId, invitationId: invitation.id, email, role: input.role, expiresAt: invitation.expiresAt, actor: session.userId,
  }, { ...context, now });
  const result = await deps.invitations.create(invitation, now, deps.policy.maxInvitations, [created]);
  if (result === "already_invited") throw new AlreadyInvitedError();
  if (result === "too_many_invitations") throw new TooManyInvitationsError(deps.policy.maxInvitations);
  return toTeamInvitationView(invitation);
}

/** `GET /v1/teams/{teamId}/invitations`: the live ones, oldest first, for the team's admins. */
export async function listInvitations(deps: Deps, session: AuthenticatedSession, teamId: string, page: PageRequest): Promise<Page<TeamInvitationView>> {
  await callerMay(deps, session, teamId, "list_invitations");
  const live = await deps.invitations.listForTeam(teamId, deps.clock.now());
  return pageOf(live.map(toTeamInvitationView), page);
}

/** `DELETE /v1/teams/{teamId}/invitations/{invitationId}`: an admin withdraws an invitation. */
export async function withdrawInvitation(deps: Deps, session: AuthenticatedSession, teamId: string, invitationId: string): Promise<void> {
  await callerMay(deps, session, teamId, "withdraw_invitation");
  const invitation = (await deps.invitations.listForTeam(teamId, deps.clock.now())).find((candidate) => candidate.id === invitationId);
  if (!invitation || !(await deps.invitations.remove(invitation, []))) throw new InvitationNotFoundError();
}

/** `GET /v1/me/invitations`: the invitations to the caller's address, whatever its case. */
export async function listMyInvitations(deps: Deps, session: AuthenticatedSession, page: PageRequest): Promise<Page<MyInvitationView>> {
  const email = await emailOf(deps, session.userId);
  const found = await deps.invitations.listForEmail(email, deps.clock.now(), page);
  return { items: found.items.map(toMyInvitationView), nextCursor: found.nextCursor };
}

/**
 * `POST /v1/me/invitations/{invitationId}/accept`: joins with the invited role. The user's side of
 * the membership is the decision (one conditional write under the cap, owing TeamInvitationAccepted
 * and TeamMemberAdded), so of concurrent accepts exactly one joins; the invitation goes after it.
 * Joining an enforcing team holds a user without 2FA at once (completeJoin).
 */
export async function acceptInvitation(deps: Deps, session: AuthenticatedSession, invitationId: string, context: RequestContext): Promise<MemberView> {
  const invitation = await myInvitation(deps, session.userId, invitationId);
  const team = await deps.teams.get(invitation.teamId);
  if (!team) throw new InvitationNotFoundError();
  const now = deps.clock.now();
  const member: Member = { userId: session.userId, email: invitation.email, role: invitation.role, joinedAt: now.toISOString() };
  const at = { ...context, now };
  const joined = await recordJoin(deps, member, team.id, [
    newEvent("TeamInvitationAccepted", {
      userId: member.userId, teamId: team.id, invitationId, role: member.role, invitedBy: invitation.invitedBy, actor: member.userId,
    }, at),
    newEvent("TeamMemberAdded", { userId: member.userId, teamId: team.id, role: member.role, actor: invitation.invitedBy }, at),
  ]);
  await deps.invitations.remove(invitation, []);
  // Another accept of this invitation (or another way in) got there first: this one is used up.
  if (joined === "already_member") throw new InvitationNotFoundError();
  const state = await completeJoin(deps, team.id, member, invitation.invitedBy);
  return toMemberView(member, state ?? (await deps.memberships.read(member.userId)));
}

/** `DELETE /v1/me/invitations/{invitationId}`: the invitee says no. */
export async function declineInvitation(deps: Deps, session: AuthenticatedSession, invitationId: string): Promise<void> {
  const invitation = await myInvitation(deps, session.userId, invitationId);
  if (!(await deps.invitations.remove(invitation, []))) throw new InvitationNotFoundError();
}

/** The caller's live invitation; anything else (unknown, expired, withdrawn, someone else's) is not found. */
async function myInvitation(deps: Deps, userId: string, invitationId: string): Promise<Invitation> {
  const email = await emailOf(deps, userId);
  const invitation = await deps.invitations.findForEmail(email, invitationId, deps.clock.now());
  if (!invitation) throw new InvitationNotFoundError();
  return invitation;
}

async function emailOf(deps: Pick<Deps, "accounts">, userId: string): Promise<string> {
  const [profile] = await deps.accounts.profiles([userId]);
  if (!profile) throw new UnauthenticatedError();
  return profile.email;
}

/**
 * A page of a short list held whole (a team has at most `maxInvitations` live ones), oldest first;
 * the cursor is the last one shown (its time and id), so one withdrawn meanwhile loses nothing.
 */
function pageOf(items: readonly TeamInvitationView[], page: PageRequest): Page<TeamInvitationView> {
  const sorted = [...items].sort((a, b) => orderKey(a).localeCompare(orderKey(b)));
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  const rest = after === undefined ? sorted : sorted.filter((item) => orderKey(item) > after);
  const shown = rest.slice(0, page.limit);
  return { items: shown, nextCursor: rest.length > page.limit ? Buffer.from(orderKey(shown.at(-1)!)).toString("base64url") : null };
}

const orderKey = (item: { createdAt: string; id: string }) => `${item.createdAt}|${item.id}`;

function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|inv_[A-Za-z0-9_-]{1,64}$/.test(key)) throw new InvalidCursorError();
  return key;
}
