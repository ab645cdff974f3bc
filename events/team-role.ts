import * as z from "zod";

/** Roles of docs/api.md, Teams: owners and admins manage; auditors read the audit log only. */
export const teamRole = z.enum(["owner", "admin", "member", "auditor"]);
export type TeamRole = z.infer<typeof teamRole>;
