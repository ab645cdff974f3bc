import type { StageConfig } from "./stages.js";

/**
 * What the functions are told about the stage's one origin (functions/config.ts reads it): the
 * WebAuthn relying party is its host, and the ceremonies run on its pages, unless the deploy names
 * them (WEBAUTHN_RP_ID, WEBAUTHN_ORIGINS). `host` is the stage's domain, or its distribution's
 * `*.cloudfront.net` name (a token until deploy); without one (stacks before the distribution), only
 * what was given. The security mails' sender and rate go along as given (MAIL_FROM, MAIL_RATE_PER_HOUR).
 */
export function serviceEnvironment(config: StageConfig, host: string | undefined = config.domain?.name): Record<string, string> {
  const { rpId, origins, rpName, totpIssuer, mailFrom, mailRatePerHour } = config.service;
  return {
    ...(rpId ?? host ? { WEBAUTHN_RP_ID: (rpId ?? host)! } : {}),
    ...(origins ? { WEBAUTHN_ORIGINS: origins.join(",") } : host ? { WEBAUTHN_ORIGINS: `https://${host}` } : {}),
    ...(rpName ? { WEBAUTHN_RP_NAME: rpName } : {}),
    ...(totpIssuer ? { TOTP_ISSUER: totpIssuer } : {}),
    ...(mailFrom ? { MAIL_FROM: mailFrom } : {}),
    ...(mailRatePerHour ? { MAIL_RATE_PER_HOUR: String(mailRatePerHour) } : {}),
  };
}
