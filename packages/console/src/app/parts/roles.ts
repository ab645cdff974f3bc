/** Roles in words, with what each may do (the invitation form and the member lists). */
export const ROLE_NAMES: Record<string, string> = { owner: "Owner", admin: "Admin", member: "Member", auditor: "Auditor" };
export const ROLE_HINTS: Record<string, string> = {
  member: "uses the team's account",
  auditor: "reads the audit log",
  admin: "manages members and 2FA",
  owner: "manages everything, admins included",
};
