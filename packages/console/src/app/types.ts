import type { z } from "zod";
import type { enforcement, member, myInvitation, myTeam, team, teamInvitation, trustedDevice } from "@twofactor/http/responses";

/** The API's wire types, from the same zod schemas the server answers with (types only: nothing of zod reaches the bundle). */
export type {
  SecurityEvent, SecurityEventPage, SecurityKey, SecurityKeyList, SecurityKeyRegistered, Session, SignedIn,
  TotpEnrollment, TrustedDevicePage, User,
} from "@twofactor/http/responses";
export type Team = z.infer<typeof team>;
export type Member = z.infer<typeof member>;
export type Enforcement = z.infer<typeof enforcement>;
export type TrustedDevice = z.infer<typeof trustedDevice>;
export type MyTeam = z.infer<typeof myTeam>;
export type MyInvitation = z.infer<typeof myInvitation>;
export type TeamInvitation = z.infer<typeof teamInvitation>;
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
