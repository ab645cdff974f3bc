import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthesize } from "../../infra/synthesize.js";
import { describeAlarms } from "./stacks/alarms.js";
import { describeApi } from "./stacks/api.js";
import { describeBus } from "./stacks/bus.js";
import { describeEdge } from "./stacks/edge.js";
import { describeFunctions } from "./stacks/functions.js";
import { describeMail } from "./stacks/mail.js";
import { describeLeastPrivilegeAndNag } from "./stacks/least-privilege.js";
import { describeProd } from "./stacks/prod.js";
import { describeStorageAndKeys } from "./stacks/storage-and-keys.js";
import { PROD_ENV, RESTORED_TABLE, RESTORED_TABLE_STREAM, STAGE, synths, TEST_ENV, withEnv } from "./stacks/synths.js";

/**
 * The stacks as `sst deploy` would make them, checked from their templates (no AWS account here).
 * One synth of every stack with every function bundled (stage `test`, alarms on), then two without
 * bundling (SST's placeholder code; the templates are otherwise the same): `quiet`, a developer's
 * stage with no settings (no one to hear alarms, no web ACL or dashboard; switched to a restored table), and `prod`. In sequence, in one process: SST rewrites files
 * under .sst/ for each app it creates. The suites are in ./stacks/, one file each.
 */
const dirs: string[] = [];
const tempDir = async (name: string) => {
  const dir = await mkdtemp(path.join(tmpdir(), `twofactor-cdk-${name}-`));
  dirs.push(dir);
  return dir;
};
const NO_SETTINGS = {
  RESTORED_TABLE_NAME: undefined, RESTORED_TABLE_STREAM_ARN: undefined, ALARM_EMAIL: undefined, ALARM_SUBSCRIBERS: undefined, CORS_ORIGINS: undefined,
  DOMAIN_NAME: undefined, HOSTED_ZONE_ID: undefined, WAF: undefined, DASHBOARD: undefined, MAIL_FROM: undefined, MAIL_RATE_PER_HOUR: undefined,
};

beforeAll(async () => {
  synths.outdir = await tempDir("main");
  ({ assembly: synths.main } = await withEnv({ ...NO_SETTINGS, ...TEST_ENV }, () => synthesize(STAGE, { outdir: synths.outdir })));
  // cdk-nag on `quiet` too: its distribution has no web ACL, a finding it must accept with a reason.
  ({ assembly: synths.quiet } = await withEnv({ ...NO_SETTINGS, RESTORED_TABLE_NAME: RESTORED_TABLE, RESTORED_TABLE_STREAM_ARN: RESTORED_TABLE_STREAM }, async () => synthesize("quiet", { outdir: await tempDir("quiet"), build: false })));
  ({ assembly: synths.prod } = await withEnv({ ...NO_SETTINGS, ...PROD_ENV }, async () => synthesize("prod", { outdir: await tempDir("prod"), build: false })));
}, 600_000); // three synths; npm test runs this file beside the e2e tests on 2 cores, shared with whatever else the machine runs

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describeStorageAndKeys();
describeFunctions();
describeApi();
describeEdge();
describeBus();
describeMail();
describeAlarms();
describeLeastPrivilegeAndNag();
describeProd();

describe("what a deploy refuses", () => {
  it("refuses to synthesize prod without ALARM_EMAIL, saying what to set", async () => {
    const outdir = await tempDir("refused");
    await expect(withEnv({ ...NO_SETTINGS, ...PROD_ENV, ALARM_EMAIL: undefined }, () => synthesize("prod", { outdir, build: false, checks: false })))
      .rejects.toThrow(/Stage 'prod' needs ALARM_EMAIL in the deploy environment/);
  });

  it("refuses to synthesize prod without MAIL_FROM: its security mails need a sender SES can verify", async () => {
    const outdir = await tempDir("no-mail");
    await expect(withEnv({ ...NO_SETTINGS, ...PROD_ENV, MAIL_FROM: undefined }, () => synthesize("prod", { outdir, build: false, checks: false })))
      .rejects.toThrow(/Stage 'prod' needs MAIL_FROM in the deploy environment/);
  });

  it("refuses a stage outside us-east-1, where CloudFront keeps its web ACLs and certificates", async () => {
    const outdir = await tempDir("region");
    await expect(withEnv({ ...NO_SETTINGS, AWS_REGION: "eu-west-1" }, () => synthesize("abroad", { outdir, build: false, checks: false })))
      .rejects.toThrow(/lives in us-east-1.*AWS_REGION=us-east-1, not eu-west-1/);
  });
});
