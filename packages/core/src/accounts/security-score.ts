/**
 * The security score of `GET /v1/me`: 0–100, the sum of the points of the factors a user meets.
 * Each factor says what it is worth (`points`), whether it is met, and — only when it is not — one
 * sentence of advice on how to meet it. A pure function of counts, so it is cheap and testable.
 */
export interface SecurityScoreInput {
  twoFactorEnabled: boolean;
  /** Registered security keys. */
  securityKeys: number;
  /** Active second factors: the authenticator app once, each security key once. */
  factors: number;
  /** Unused recovery codes (0 when 2FA is off). */
  recoveryCodesRemaining: number;
}

export type SecurityScoreFactorId = "two_factor" | "security_key" | "recovery_codes" | "backup_factor";

export interface SecurityScoreFactor {
  id: SecurityScoreFactorId;
  met: boolean;
  /** What the factor is worth; the score adds it when `met`. */
  points: number;
  /** One sentence on how to meet the factor; null when it is met. */
  advice: string | null;
}

export interface SecurityScore {
  score: number;
  factors: SecurityScoreFactor[];
}

const RULES: readonly { id: SecurityScoreFactorId; points: number; met: (i: SecurityScoreInput) => boolean; advice: string }[] = [
  {
    id: "two_factor",
    points: 40,
    met: (i) => i.twoFactorEnabled,
    advice: "Turn on two-factor authentication with an authenticator app or a security key.",
  },
  {
    id: "security_key",
    points: 30,
    met: (i) => i.securityKeys > 0,
    advice: "Add a physical security key: unlike a code, it cannot be phished.",
  },
  {
    id: "recovery_codes",
    points: 15,
    met: (i) => i.twoFactorEnabled && i.recoveryCodesRemaining > 0,
    advice: "Generate recovery codes and keep them somewhere safe, so a lost factor does not lock you out.",
  },
  {
    id: "backup_factor",
    points: 15,
    met: (i) => i.factors > 1,
    advice: "Add a second factor (another security key or an authenticator app) as a backup for the first.",
  },
];

export function securityScore(input: SecurityScoreInput): SecurityScore {
  const factors = RULES.map((rule) => {
    const met = rule.met(input);
    return { id: rule.id, met, points: rule.points, advice: met ? null : rule.advice };
  });
  return { score: factors.reduce((sum, f) => sum + (f.met ? f.points : 0), 0), factors };
}
