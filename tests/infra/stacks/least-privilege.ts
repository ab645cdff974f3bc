import { describe, expect, it } from "vitest";
import { actionsOf, allStatements, resources } from "../template.js";
import { main, STACKS, synths } from "./synths.js";

/** CDK's bucket deployment (the console's files) copies with its own wildcard actions: cdk-nag's suppressions say why. */
const CDK_BUCKET_DEPLOYMENT = "CustomCDKBucketDeployment";

export function describeLeastPrivilegeAndNag(): void {
  describe("least privilege", () => {
    it("no statement allows a wildcard action but CDK's bucket deployment's; the only wildcard denies refuse plain-HTTP access", () => {
      for (const stack of STACKS) {
        for (const statement of allStatements(main(stack), (id) => !id.startsWith(CDK_BUCKET_DEPLOYMENT))) {
          const wild = actionsOf(statement).filter((a) => a.includes("*"));
          if (statement.Effect === "Allow") expect(wild, `${stack}: ${JSON.stringify(statement)}`).toEqual([]);
          else if (wild.length) expect(statement.Condition, stack).toEqual({ Bool: { "aws:SecureTransport": "false" } });
        }
      }
    });

    it("names a resource in every statement but X-Ray's, which takes none narrower than *", () => {
      for (const stack of ["ApiAccounts", "ApiMe", "ApiTeams", "Bus", "Keys"]) {
        for (const policy of Object.values(resources(main(stack), "AWS::IAM::Policy"))) {
          for (const statement of (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement) {
            if (statement.Resource === "*") expect([statement.Action].flat().sort(), stack).toEqual(["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
          }
        }
      }
    });

    it("no function policy uses a grant helper's extra actions", () => {
      // BatchGetItem and BatchWriteItem are ours (a session with its user's state; the backlog, the
      // audit log), granted by name like the others; the stream's reads are the relay's mapping's alone.
      const extras = /Scan|ConditionCheckItem|DescribeTable|ReEncrypt|DescribeKey|GenerateDataKeyWithoutPlaintext/;
      for (const stack of ["ApiAccounts", "ApiMe", "ApiTeams", "Bus"]) {
        for (const statement of Object.values(resources(main(stack), "AWS::IAM::Policy"))
          .flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement)) {
          for (const action of [statement.Action].flat()) {
            expect(action).not.toMatch(extras);
            if (/GetRecords|GetShardIterator|DescribeStream|ListStreams/.test(action)) expect(JSON.stringify(statement.Resource)).toMatch(/StreamArn/);
          }
        }
      }
    });
  });

  describe("cdk-nag AwsSolutions", () => {
    it("reports no unsuppressed error or warning on any stack of any stage", () => {
      for (const assembly of [synths.main, synths.quiet, synths.prod]) {
        for (const stack of assembly.stacks) {
          const findings = stack.messages
            .filter((m) => (m.level === "error" || m.level === "warning") && /AwsSolutions-/.test(String(m.entry.data)))
            .map((m) => `${m.id}: ${String(m.entry.data).slice(0, 120)}`);
          expect(findings, stack.stackName).toEqual([]);
        }
      }
    });

    it("justifies every suppression", () => {
      for (const assembly of [synths.main, synths.quiet, synths.prod]) {
        for (const stack of assembly.stacks) {
          const template = stack.template as { Metadata?: { cdk_nag?: { rules_to_suppress: { reason: string }[] } } };
          for (const s of template.Metadata?.cdk_nag?.rules_to_suppress ?? []) expect(s.reason.length).toBeGreaterThan(40);
        }
      }
    });

    it("accepts the default certificate's TLS policy only on a stage without a domain of its own", () => {
      const suppressed = (assembly: typeof synths.main, stage: string) => {
        const template = assembly.getStackByName(`${stage}-twofactor-Edge`).template as { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string }[] } } };
        return (template.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((s) => s.id);
      };
      expect(suppressed(synths.main, "test")).toContain("AwsSolutions-CFR4");
      expect(suppressed(synths.prod, "prod")).not.toContain("AwsSolutions-CFR4");
    });

    it("accepts a distribution without WAF only on a stage without the web ACL", () => {
      const suppressed = (assembly: typeof synths.main, stage: string) => {
        const template = assembly.getStackByName(`${stage}-twofactor-Edge`).template as { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string }[] } } };
        return (template.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((s) => s.id);
      };
      expect(suppressed(synths.quiet, "quiet")).toContain("AwsSolutions-CFR2");
      for (const [assembly, stage] of [[synths.main, "test"], [synths.prod, "prod"]] as const) expect(suppressed(assembly, stage)).not.toContain("AwsSolutions-CFR2");
    });
  });
}
