import { createHash } from "node:crypto";
import type { DomainEvent } from "@twofactor/events";
import { InvalidCursorError, type Invitation, type Invitations, type InviteResult, type Page, type PageRequest } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";
import { equalsOrAbsent } from "./security-state.js";
import { epochSeconds, type Item, type Table } from "./table.js";

/** Each invitation is a top-level map `inv:<hash of the address>` on the team's INVITATIONS item: one per address. */
const INVITATION_PREFIX = "inv:";
/** Tries of a create that lost to a concurrent change of the team's invitations. */
const ATTEMPTS = 5;

type StoredInvitation = Omit<Invitation, "teamId" | "teamName"> & { expiresAtEpoch: number };

/**
 * A team's live invitations on one item, versioned: a new one is written only if the item is still
 * as read, so neither one live invitation per address nor the cap can be overdrawn by concurrent
 * invites. The invitee finds theirs through a pointer under the address (`INVITEE#<email>`), written
 * before the invitation and checked against it on every read: a pointer whose invitation is gone
 * (withdrawn, accepted, never stored) shows nothing.
 */
export class InvitationsStore implements Invitations {
  constructor(private readonly table: Table, private readonly outbox: Outbox) {}

  async create(invitation: Invitation, now: Date, maxLive: number, owed: readonly DomainEvent[]): Promise<InviteResult> {
    const pointer = keys.invitee(invitation.email, invitation.id);
    await this.table.put({ ...pointer, teamId: invitation.teamId, teamName: invitation.teamName, expiresAt: epochSeconds(invitation.expiresAt) });
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const item = await this.table.get(keys.teamInvitations(invitation.teamId));
      const live = liveInvitations(item, invitation.teamId, now);
      const refused: InviteResult | undefined = live.some((other) => other.email === invitation.email)
        ? "already_invited"
        : live.length >= maxLive ? "too_many_invitations" : undefined;
      if (refused) {
        await this.table.delete(pointer);
        return refused;
      }
      const version = equalsOrAbsent("version", ":version", (item?.version as number | undefined) ?? 0);
      const stored = await this.outbox.write(keys.teamInvitations(invitation.teamId), {
        set: { teamName: invitation.teamName, [attributeOf(invitation.email)]: toStored(invitation) },
        // Expired ones go with this write (it knows them), so the item holds at most the live ones and this.
        remove: expiredAttributes(item, now).filter((name) => name !== attributeOf(invitation.email)),
        add: { version: 1 },
        ...version,
      }, owed);
      if (stored) return "created";
    }
    await this.table.delete(pointer);
    throw new Error(`the invitations of team ${invitation.teamId} kept changing`);
  }

  async listForTeam(teamId: string, now: Date): Promise<Invitation[]> {
    return liveInvitations(await this.table.get(keys.teamInvitations(teamId)), teamId, now);
  }

  async findForEmail(email: string, invitationId: string, now: Date): Promise<Invitation | undefined> {
    const pointer = await this.table.get(keys.invitee(email, invitationId));
    if (!pointer) return undefined;
    const live = liveInvitations(await this.table.get(keys.teamInvitations(pointer.teamId as string)), pointer.teamId as string, now);
    return live.find((invitation) => invitation.id === invitationId && invitation.email === email);
  }

  async listForEmail(email: string, now: Date, page: PageRequest): Promise<Page<Invitation>> {
    const pk = keys.inviteePartition(email);
    const { items: pointers, lastKey } = await this.table.queryPage({
      KeyConditionExpression: "pk = :pk",
      FilterExpression: "expiresAt > :now",
      ExpressionAttributeValues: { ":pk": pk, ":now": epochSeconds(now) },
      ConsistentRead: true,
    }, { limit: page.limit, ...(page.cursor === undefined ? {} : { startKey: { pk, sk: decodeCursor(page.cursor) } }) });
    const teamIds = [...new Set(pointers.map((pointer) => pointer.teamId as string))];
    const teams = teamIds.length ? await this.table.getMany(teamIds.map(keys.teamInvitations)) : [];
    const live = teams.flatMap((item) => liveInvitations(item, (item.pk as string).slice("TEAM#".length), now));
    const items = pointers.flatMap((pointer) => live.filter((invitation) => invitation.id === pointer.sk && invitation.email === email));
    return { items, nextCursor: lastKey ? Buffer.from(lastKey.sk as string).toString("base64url") : null };
  }

  async remove(invitation: Invitation, owed: readonly DomainEvent[]): Promise<boolean> {
    const attribute = attributeOf(invitation.email);
    const removed = await this.outbox.write(keys.teamInvitations(invitation.teamId), {
      remove: [attribute],
      add: { version: 1 },
      condition: "#invitation.id = :id",
      names: { "#invitation": attribute },
      values: { ":id": invitation.id },
    }, owed);
    await this.table.delete(keys.invitee(invitation.email, invitation.id));
    return removed !== undefined;
  }
}

function attributeOf(email: string): string {
  return INVITATION_PREFIX + createHash("sha256").update(email).digest("base64url");
}

function toStored(invitation: Invitation): StoredInvitation {
  const { teamId: _teamId, teamName: _teamName, ...rest } = invitation;
  return { ...rest, expiresAtEpoch: epochSeconds(invitation.expiresAt) };
}

/** The item's invitations that have not expired at `now`, oldest first. */
function liveInvitations(item: Item | undefined, teamId: string, now: Date): Invitation[] {
  return Object.entries(item ?? {})
    .filter(([name]) => name.startsWith(INVITATION_PREFIX))
    .map(([, value]) => value as StoredInvitation)
    .filter((stored) => stored.expiresAtEpoch > epochSeconds(now))
    .map(({ expiresAtEpoch: _epoch, ...rest }) => ({ ...rest, teamId, teamName: item!.teamName as string }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

function expiredAttributes(item: Item | undefined, now: Date): string[] {
  return Object.entries(item ?? {})
    .filter(([name, value]) => name.startsWith(INVITATION_PREFIX) && (value as StoredInvitation).expiresAtEpoch <= epochSeconds(now))
    .map(([name]) => name);
}

function decodeCursor(cursor: string): string {
  const sk = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^inv_[A-Za-z0-9_-]{1,64}$/.test(sk)) throw new InvalidCursorError();
  return sk;
}
