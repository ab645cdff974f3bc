import type { DetailOf, DomainEvent } from "@twofactor/events";
import { MAILED } from "@twofactor/events/subscriptions";
import type { Deps } from "../deps.js";
import { browserIdentity, deviceLabel } from "../devices/browser-identity.js";
import { normalizeEmail } from "../accounts/email.js";
import { MESSAGES, type MailedType, type Message, type Names } from "./messages.js";
import { render, type Where } from "./render.js";

export type MailedEvent = Extract<DomainEvent, { detailType: MailedType }>;

/** A mail ready to compose: to whom (and which account that is, if any), and its words. */
export interface Draft {
  to: string;
  /** The recipient's account, when the event is about one (an invitation's address may have none). */
  userId?: string;
  subject: string;
  text: string;
  html: string;
}

export function isMailed(event: DomainEvent): event is MailedEvent {
  return (MAILED as readonly string[]).includes(event.detailType);
}

/** Kinds whose mail names who acted (an admin, an inviter), besides the team they concern. */
const NAMES_ACTOR: readonly MailedType[] = ["TwoFactorResetRequested", "TwoFactorReset", "TeamInvitationCreated"];

/**
 * The mail an event owes, with the names it shows looked up now (a team's, an inviter's): events
 * carry ids, not names. The recipient is the account's address, or the invited address; undefined
 * when the account no longer exists.
 */
export async function draftMail(deps: Pick<Deps, "accounts" | "teams" | "policy">, event: MailedEvent): Promise<Draft | undefined> {
  const detail = event.detail;
  const invitation = event.detailType === "TeamInvitationCreated" ? event.detail : undefined;
  if (!invitation && !detail.userId) return undefined;
  const actor = NAMES_ACTOR.includes(event.detailType) && detail.actor !== detail.userId && detail.actor !== "system" ? detail.actor : undefined;
  // The recipient first: an event about an account that is gone costs one read, and no team lookup.
  const profiles = await deps.accounts.profiles([...(invitation ? [] : [detail.userId!]), ...(actor ? [actor] : [])]);
  const recipient = invitation ? undefined : profiles.find((profile) => profile.id === detail.userId);
  if (!invitation && !recipient) return undefined;
  const team = detail.teamId ? await deps.teams.get(detail.teamId) : undefined;

  const service = deps.policy.totpIssuer;
  const names: Names = { service, team: team?.name, actor: profiles.find((profile) => profile.id === actor)?.name };
  const message = (MESSAGES[event.detailType] as (detail: unknown, names: Names) => Message)(detail, names);
  const { text, html } = render(message, { service, greeting: recipient?.name, occurredAt: detail.occurredAt, where: whereOf(event) });
  return {
    to: normalizeEmail(invitation ? invitation.email : recipient!.email),
    ...(recipient ? { userId: recipient.id } : {}),
    subject: message.subject,
    text,
    html,
  };
}

/** The network and browser an event names: a remembered device's own, or the request's address and user agent. */
function whereOf(event: MailedEvent): Where {
  if (event.detailType === "DeviceTrusted") {
    const device: DetailOf<"DeviceTrusted"> = event.detail;
    return { network: device.network, browser: device.label };
  }
  const { ip, userAgent } = event.detail;
  return { network: ip, browser: userAgent ? deviceLabel(browserIdentity(userAgent)) : undefined };
}
