import * as z from "zod";
import { DEFAULT_OUTBOX_SHARDS, TOTP_BRANCH_KEY_ID } from "@twofactor/aws";
import { DEFAULT_POLICY, type Policy } from "@twofactor/core";

/** Configuration from the environment: set by the stacks on AWS, by the local runtime on a laptop. */
const Config = z.object({
  TABLE_NAME: z.string().min(1).default("twofactor"),
  DYNAMODB_ENDPOINT: z.url().optional(),
  EVENT_BUS_NAME: z.string().min(1).default("twofactor"),
  EVENTBRIDGE_ENDPOINT: z.url().optional(),
  KMS_KEY_ARN: z.string().min(1).optional(),
  /** Where KMS is reached instead of its regional endpoint (an emulator, a test's stand-in). */
  KMS_ENDPOINT: z.url().optional(),
  LOCAL_KEY_FILE: z.string().min(1).optional(),
  /** The branch key store of the hierarchical keyring (its table, also its logical name) and the branch key TOTP secrets use. */
  BRANCH_KEY_TABLE_NAME: z.string().min(1).optional(),
  BRANCH_KEY_ID: z.string().min(1).default(TOTP_BRANCH_KEY_ID),
  /** Partitions of the outbox index (writers and the sweep must agree; raise it, never lower it with entries pending). */
  OUTBOX_SHARDS: z.coerce.number().int().min(1).max(256).default(DEFAULT_OUTBOX_SHARDS),
  /** The sweep publishes events owed for longer than this (a request publishes its own right after its write). */
  OUTBOX_SWEEP_GRACE_SECONDS: z.coerce.number().int().min(0).default(60),
  TOTP_ISSUER: z.string().min(1).max(64).default(DEFAULT_POLICY.totpIssuer),
  SESSION_TTL_SECONDS: z.coerce.number().int().positive().default(DEFAULT_POLICY.sessionTtlSeconds),
  REAUTH_WINDOW_SECONDS: z.coerce.number().int().positive().default(DEFAULT_POLICY.reauthWindowSeconds),
  NETWORK_FAILURE_LIMIT: z.coerce.number().int().positive().default(DEFAULT_POLICY.networkFailureLimit),
  DEVICE_TRUST_MAX_AGE_SECONDS: z.coerce.number().int().positive().default(DEFAULT_POLICY.deviceTrustMaxAgeSeconds),
  NETWORK_WINDOW_SECONDS: z.coerce.number().int().positive().default(DEFAULT_POLICY.networkWindowSeconds),
  /** Days the audit log keeps an entry (the table's TTL deletes it after); 0 keeps entries for good. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  /** The enforcement fan-out's page (members per invocation) and its concurrency within a page. */
  ROLLOUT_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(DEFAULT_POLICY.rolloutPageSize),
  ROLLOUT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(DEFAULT_POLICY.rolloutConcurrency),
  ROLLOUT_SEGMENTS: z.coerce.number().int().min(1).max(64).default(DEFAULT_POLICY.rolloutSegments),
  ROLLOUT_STALL_SECONDS: z.coerce.number().int().min(0).default(DEFAULT_POLICY.rolloutStallSeconds),
  /** How long an invitation stays open, and how long after an admin asks for it a reset of a member's 2FA takes effect. */
  INVITATION_TTL_SECONDS: z.coerce.number().int().positive().default(DEFAULT_POLICY.invitationTtlSeconds),
  TEAM_RESET_DELAY_SECONDS: z.coerce.number().int().min(0).default(DEFAULT_POLICY.teamResetDelaySeconds),
  /** Who security mails come from (`Name <address>`), how many one address gets per hour, and the SES configuration set on AWS. */
  MAIL_FROM: z.string().min(3).max(320).regex(/@/, "Expected `Name <address>` or an address.").default(DEFAULT_POLICY.mailFrom),
  MAIL_RATE_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_POLICY.mailRatePerHour),
  MAIL_CONFIGURATION_SET: z.string().min(1).optional(),
  /** WebAuthn relying party: a registrable domain, the name browsers show, and the page origins allowed. */
  WEBAUTHN_RP_ID: z.string().min(1).max(253).default(DEFAULT_POLICY.relyingParty.id),
  WEBAUTHN_RP_NAME: z.string().min(1).max(64).default(DEFAULT_POLICY.relyingParty.name),
  WEBAUTHN_ORIGINS: z.string().min(1).default(DEFAULT_POLICY.relyingParty.origins.join(","))
    .transform((list) => list.split(",").map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1)),
}).refine((c) => c.KMS_KEY_ARN || c.LOCAL_KEY_FILE, "Set KMS_KEY_ARN (AWS) or LOCAL_KEY_FILE (local key ring).");

export type RuntimeConfig = z.infer<typeof Config>;

/** Parsed once per cold start, by the composition root (composition.ts). */
export function readConfig(): RuntimeConfig {
  return Config.parse(process.env);
}

export function policyOf(config: RuntimeConfig): Policy {
  return {
    ...DEFAULT_POLICY,
    totpIssuer: config.TOTP_ISSUER,
    sessionTtlSeconds: config.SESSION_TTL_SECONDS,
    reauthWindowSeconds: config.REAUTH_WINDOW_SECONDS,
    networkFailureLimit: config.NETWORK_FAILURE_LIMIT,
    networkWindowSeconds: config.NETWORK_WINDOW_SECONDS,
    deviceTrustMaxAgeSeconds: config.DEVICE_TRUST_MAX_AGE_SECONDS,
    rolloutPageSize: config.ROLLOUT_PAGE_SIZE,
    rolloutConcurrency: config.ROLLOUT_CONCURRENCY,
    rolloutSegments: config.ROLLOUT_SEGMENTS,
    rolloutStallSeconds: config.ROLLOUT_STALL_SECONDS,
    invitationTtlSeconds: config.INVITATION_TTL_SECONDS,
    teamResetDelaySeconds: config.TEAM_RESET_DELAY_SECONDS,
    mailFrom: config.MAIL_FROM,
    mailRatePerHour: config.MAIL_RATE_PER_HOUR,
    relyingParty: { id: config.WEBAUTHN_RP_ID, name: config.WEBAUTHN_RP_NAME, origins: config.WEBAUTHN_ORIGINS },
  };
}
