import { describe, expect, it } from "vitest";
import { TeamForbiddenError, TeamNotFoundError } from "../errors.js";
import type { Member, TeamRole } from "../ports.js";
import { authorize, MANAGES, PERMISSIONS, TEAM_ROLES } from "./authorization.js";

const as = (role: TeamRole): Member => ({ userId: "usr_x", email: "x@example.com", role, joinedAt: "2026-01-01T00:00:00.000Z" });

describe("authorize", () => {
  it("answers 404 (not found) to a non-member for every action, before any role check", () => {
    for (const action of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      expect(() => authorize(undefined, action)).toThrow(TeamNotFoundError);
    }
  });

  it("follows the table for every action × role", () => {
    for (const [action, allowed] of Object.entries(PERMISSIONS) as [keyof typeof PERMISSIONS, readonly TeamRole[]][]) {
      for (const role of TEAM_ROLES) {
        if (allowed.includes(role)) expect(authorize(as(role), action).role).toBe(role);
        else expect(() => authorize(as(role), action)).toThrow(TeamForbiddenError);
      }
    }
  });

  it("lets admins act on members and auditors only, owners on anyone", () => {
    for (const target of TEAM_ROLES) {
      expect(() => authorize(as("owner"), "remove_member", target)).not.toThrow();
      const adminMay = target === "member" || target === "auditor";
      if (adminMay) expect(() => authorize(as("admin"), "reset_two_factor", target)).not.toThrow();
      else expect(() => authorize(as("admin"), "reset_two_factor", target)).toThrow(TeamForbiddenError);
    }
    expect(MANAGES.member).toEqual([]);
    expect(MANAGES.auditor).toEqual([]);
  });
});
