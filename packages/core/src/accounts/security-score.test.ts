import { describe, expect, it } from "vitest";
import { securityScore } from "./security-score.js";

describe("securityScore", () => {
  it("gives nothing to an account without 2FA, with advice for every factor", () => {
    const result = securityScore({ twoFactorEnabled: false, securityKeys: 0, factors: 0, recoveryCodesRemaining: 0 });
    expect(result.score).toBe(0);
    expect(result.factors.map((f) => f.id)).toEqual(["two_factor", "security_key", "recovery_codes", "backup_factor"]);
    for (const factor of result.factors) {
      expect(factor.met).toBe(false);
      expect(factor.advice).toMatch(/^[A-Z].*\.$/);
    }
  });

  it("rewards an authenticator app with recovery codes, and advises a key and a backup", () => {
    const result = securityScore({ twoFactorEnabled: true, securityKeys: 0, factors: 1, recoveryCodesRemaining: 10 });
    expect(result.score).toBe(55);
    expect(result.factors.filter((f) => !f.met).map((f) => f.id)).toEqual(["security_key", "backup_factor"]);
  });

  it("reaches 100 with a key, another factor and codes left; met factors carry no advice", () => {
    const result = securityScore({ twoFactorEnabled: true, securityKeys: 2, factors: 2, recoveryCodesRemaining: 1 });
    expect(result.score).toBe(100);
    expect(result.factors.every((f) => f.met && f.advice === null)).toBe(true);
  });

  it("stops rewarding recovery codes once all are used", () => {
    const result = securityScore({ twoFactorEnabled: true, securityKeys: 1, factors: 1, recoveryCodesRemaining: 0 });
    expect(result.score).toBe(70);
    expect(result.factors.find((f) => f.id === "recovery_codes")?.met).toBe(false);
  });

  it("always stays within 0..100 and equals the sum of met points", () => {
    for (const twoFactorEnabled of [false, true]) {
      for (const securityKeys of [0, 1, 3]) {
        for (const recoveryCodesRemaining of [0, 5]) {
          const factors = securityKeys + (twoFactorEnabled && securityKeys === 0 ? 1 : 0);
          const result = securityScore({ twoFactorEnabled, securityKeys, factors, recoveryCodesRemaining });
          expect(result.score).toBeGreaterThanOrEqual(0);
          expect(result.score).toBeLessThanOrEqual(100);
          expect(result.score).toBe(result.factors.filter((f) => f.met).reduce((s, f) => s + f.points, 0));
        }
      }
    }
  });
});
