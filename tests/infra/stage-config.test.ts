import { describe, expect, it } from "vitest";
import { serviceEnvironment } from "../../infra/origin.js";
import { EXAMPLE_PRODUCTION_SETTINGS as PROD_ENV, mailDomainOf, stageConfig } from "../../infra/stages.js";

describe("stage configuration", () => {
  it("refuses prod without a domain of its own, ALARM_EMAIL or MAIL_FROM, saying which", () => {
    expect(() => stageConfig("prod", {}))
      .toThrow(/Stage 'prod' needs DOMAIN_NAME \(with HOSTED_ZONE_ID or CERTIFICATE_ARN\), ALARM_EMAIL and MAIL_FROM in the deploy environment/);
    expect(() => stageConfig("prod", { ...PROD_ENV, MAIL_FROM: " " })).toThrow(/needs MAIL_FROM in/);
    expect(() => stageConfig("prod", { ...PROD_ENV, ALARM_EMAIL: "", MAIL_FROM: "" })).toThrow(/needs ALARM_EMAIL and MAIL_FROM in/);
    expect(() => stageConfig("prod", { ...PROD_ENV, ALARM_EMAIL: "" })).toThrow(/needs ALARM_EMAIL in/);
    expect(() => stageConfig("prod", { ALARM_EMAIL: "oncall@example.com" })).toThrow(/needs DOMAIN_NAME/);
    expect(stageConfig("prod", PROD_ENV)).toMatchObject({ retain: true, domain: { name: "auth.example.com" }, alarms: { enabled: true, email: "oncall@example.com" } });
  });

  it("takes a domain with a hosted zone or a certificate CloudFront can use (us-east-1), and nothing half-given", () => {
    expect(stageConfig("alice", { DOMAIN_NAME: "Alice.Example.com", CERTIFICATE_ARN: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123" }).domain)
      .toEqual({ name: "alice.example.com", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123", hostedZoneId: undefined });
    expect(() => stageConfig("alice", { DOMAIN_NAME: "alice.example.com" })).toThrow(/needs HOSTED_ZONE_ID .* or CERTIFICATE_ARN/);
    expect(() => stageConfig("alice", { DOMAIN_NAME: "alice.example.com", CERTIFICATE_ARN: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" })).toThrow(/us-east-1/);
    expect(() => stageConfig("alice", { DOMAIN_NAME: "https://alice.example.com", HOSTED_ZONE_ID: "Z1" })).toThrow(/must be a host name/);
    expect(() => stageConfig("alice", { HOSTED_ZONE_ID: "Z123" })).toThrow(/go with DOMAIN_NAME/);
  });

  it("derives the relying party and its origin from the stage's one origin, unless told otherwise within it", () => {
    const mail = { MAIL_FROM: PROD_ENV.MAIL_FROM };
    expect(serviceEnvironment(stageConfig("prod", PROD_ENV))).toEqual({ WEBAUTHN_RP_ID: "auth.example.com", WEBAUTHN_ORIGINS: "https://auth.example.com", ...mail });
    expect(serviceEnvironment(stageConfig("alice", {}), "d111.cloudfront.net")).toEqual({ WEBAUTHN_RP_ID: "d111.cloudfront.net", WEBAUTHN_ORIGINS: "https://d111.cloudfront.net" });
    expect(serviceEnvironment(stageConfig("prod", { ...PROD_ENV, WEBAUTHN_RP_ID: "example.com", TOTP_ISSUER: "Acme" })))
      .toEqual({ WEBAUTHN_RP_ID: "example.com", WEBAUTHN_ORIGINS: "https://auth.example.com", TOTP_ISSUER: "Acme", ...mail });
    expect(() => stageConfig("prod", { ...PROD_ENV, WEBAUTHN_RP_ID: "other.example" })).toThrow(/must be auth\.example\.com or a parent domain/);
    expect(() => stageConfig("prod", { ...PROD_ENV, WEBAUTHN_ORIGINS: "http://auth.example.com" })).toThrow(/https:\/\/ origins only/);
    expect(serviceEnvironment(stageConfig("alice", {}))).toEqual({});
  });

  it("takes the mails' sender at a domain SES can verify, and their hourly rate, and hands both to the functions", () => {
    expect(stageConfig("alice", { MAIL_FROM: "Alice <security@mail.example.com>", MAIL_RATE_PER_HOUR: "12" }).service)
      .toEqual({ mailFrom: "Alice <security@mail.example.com>", mailRatePerHour: 12 });
    expect(serviceEnvironment(stageConfig("alice", { MAIL_FROM: "security@example.com", MAIL_RATE_PER_HOUR: "12" })))
      .toEqual({ MAIL_FROM: "security@example.com", MAIL_RATE_PER_HOUR: "12" });
    expect(mailDomainOf("Alice <Security@Mail.Example.com>")).toBe("mail.example.com");
    expect(() => stageConfig("alice", { MAIL_FROM: "security@localhost" })).toThrow(/MAIL_FROM must be an address at a domain/);
    expect(() => stageConfig("alice", { MAIL_FROM: "Security team" })).toThrow(/MAIL_FROM must be an address at a domain/);
    expect(() => stageConfig("alice", { MAIL_RATE_PER_HOUR: "0" })).toThrow(/MAIL_RATE_PER_HOUR must be a whole number from 1/);
  });

  it("allows other sites' origins by CORS only when named, never '*'", () => {
    expect(stageConfig("alice", {}).corsOrigins).toEqual([]);
    expect(stageConfig("alice", { CORS_ORIGINS: "https://a.example, https://b.example" }).corsOrigins).toEqual(["https://a.example", "https://b.example"]);
    expect(() => stageConfig("alice", { CORS_ORIGINS: "*" })).toThrow(/not '\*'/);
    expect(() => stageConfig("alice", { CORS_ORIGINS: "https://a.example/app" })).toThrow(/is not an origin/);
  });

  it("gives a developer's stage alarms only when someone is named to hear them", () => {
    expect(stageConfig("alice", {}).alarms).toEqual({ enabled: false, email: undefined, subscribers: [] });
    expect(stageConfig("alice", { ALARM_EMAIL: "alice@example.com" }).alarms).toMatchObject({ enabled: true, email: "alice@example.com" });
    expect(stageConfig("alice", { ALARM_SUBSCRIBERS: "https://pager.example.com/hook" }).alarms.enabled).toBe(true);
    expect(() => stageConfig("alice", { ALARM_EMAIL: "not an address" })).toThrow(/ALARM_EMAIL/);
    expect(() => stageConfig("alice", { ALARM_SUBSCRIBERS: "http://insecure.example.com" })).toThrow(/ALARM_SUBSCRIBERS/);
  });

  it("reads the WAF limits, log level, outbox shards and audit retention, and refuses nonsense", () => {
    expect(stageConfig("prod", PROD_ENV)).toMatchObject({ logLevel: "INFO", auditRetentionDays: 365, waf: { auth: 300, signUp: 50, reauthenticate: 100 } });
    expect(stageConfig("alice", { WAF_RATE_AUTH: "1000", LOG_LEVEL: "warn", OUTBOX_SHARDS: "16", AUDIT_RETENTION_DAYS: "0" }))
      .toMatchObject({ waf: { auth: 1000 }, logLevel: "WARN", outboxShards: 16, auditRetentionDays: 0 });
    expect(() => stageConfig("alice", { WAF_RATE_SIGN_UP: "5" })).toThrow(/WAF_RATE_SIGN_UP must be a whole number from 10/);
    expect(() => stageConfig("alice", { LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL must be one of/);
    expect(() => stageConfig("alice", { OUTBOX_SHARDS: "0" })).toThrow(/OUTBOX_SHARDS/);
    expect(() => stageConfig("alice", { AUDIT_RETENTION_DAYS: "a year" })).toThrow(/AUDIT_RETENTION_DAYS/);
  });

  it("gives prod the web ACL and the dashboard always, a developer's stage only when turned on", () => {
    expect(stageConfig("prod", PROD_ENV)).toMatchObject({ webAcl: true, dashboard: true });
    expect(stageConfig("alice", {})).toMatchObject({ webAcl: false, dashboard: false });
    expect(stageConfig("alice", { WAF: "on", DASHBOARD: "On" })).toMatchObject({ webAcl: true, dashboard: true });
    expect(stageConfig("alice", { WAF: "on", DASHBOARD: "" })).toMatchObject({ webAcl: true, dashboard: false });
    expect(stageConfig("prod", { ...PROD_ENV, DASHBOARD: "off" }).dashboard).toBe(false);
    expect(() => stageConfig("prod", { ...PROD_ENV, WAF: "off" })).toThrow(/Stage 'prod' keeps its WAF web ACL/);
    expect(() => stageConfig("alice", { WAF: "yes" })).toThrow(/WAF must be on or off, not 'yes'/);
    expect(() => stageConfig("alice", { DASHBOARD: "1" })).toThrow(/DASHBOARD must be on or off/);
  });

  it("sizes prod's API throttles as a backstop above WAF's per-client limits, each credential route below the stage's", () => {
    const { throttle, credentialThrottle } = stageConfig("prod", PROD_ENV);
    expect(credentialThrottle.rate).toBeLessThan(throttle.rate);
    expect(credentialThrottle.burst).toBeLessThan(throttle.burst);
  });
});
