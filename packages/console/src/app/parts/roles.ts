/** Roles in words, with what each may do (the invitation form and the member lists). */
export const ROLE_NAMES: Record<string, string> = { owner: "Owner", admin: "Admin", member: "Member", auditor: "Auditor" };
export const ROLE_HINTS: Record<string, string> = {
  member: "uses the team's account; the owners and admins manage it",
  auditor: "reads the team's audit log, and changes nothing",
  admin: "invites and removes members and auditors, and forces 2FA",
  owner: "does what an admin does, for admins and owners too",
};
