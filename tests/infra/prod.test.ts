import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Match } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Keys, Storage } from "../../infra/app.js";
import { synthesize } from "../../infra/synthesize.js";
import { templateOf } from "./template.js";

/** Stage `prod` keeps its data: only the stacks that hold data, so no functions are built. */
let outdir: string;
let assembly: CloudAssembly;

beforeAll(async () => {
  outdir = await mkdtemp(path.join(tmpdir(), "twofactor-cdk-prod-"));
  ({ assembly } = await synthesize("prod", { outdir, stacks: [Storage, Keys] }));
}, 120_000);

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

it("retains and deletion-protects the table on prod", () => {
  templateOf(assembly, "prod-twofactor-Storage").hasResource("AWS::DynamoDB::Table", {
    Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    DeletionPolicy: "Retain",
    UpdateReplacePolicy: "Retain",
  });
});

it("retains the key on prod: without it no enrolled authenticator can be opened", () => {
  templateOf(assembly, "prod-twofactor-Keys").hasResource("AWS::KMS::Key", { DeletionPolicy: "Retain" });
});

it("has no unsuppressed cdk-nag finding on prod either", () => {
  for (const stack of assembly.stacks) {
    expect(stack.messages.filter((m) => m.level === "error" && /AwsSolutions-/.test(String(m.entry.data))), stack.stackName).toEqual([]);
  }
});
