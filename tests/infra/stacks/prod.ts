import { describe, expect, it } from "vitest";
import { resources } from "../template.js";
import { prod, STACKS } from "./synths.js";

export function describeProd(): void {
  describe("prod", () => {
    it("retains and deletion-protects both tables, and retains the key: without them no enrolled authenticator can be opened", () => {
      for (const stack of ["Storage", "Keys"]) {
        for (const table of Object.values(resources(prod(stack), "AWS::DynamoDB::Table"))) {
          expect(table).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain", Properties: { DeletionProtectionEnabled: true } });
        }
      }
      prod("Keys").hasResource("AWS::KMS::Key", { DeletionPolicy: "Retain" });
    });

    it("keeps every log group (functions, access, WAF) and the event archive when a stack goes", () => {
      const logGroups = STACKS.flatMap((stack) => Object.entries(resources(prod(stack), "AWS::Logs::LogGroup")).map(([id, group]) => ({ stack, id, group })));
      expect(logGroups.length).toBeGreaterThan(40);
      for (const { stack, id, group } of logGroups) expect(group.DeletionPolicy, `${stack} ${id}`).toBe("Retain");
      expect(logGroups.filter(({ group }) => String(group.Properties.LogGroupName).startsWith("aws-waf-logs-"))).toHaveLength(1);
      for (const { group } of logGroups) expect(group.Properties.RetentionInDays).toBe(90);
      const [archive] = Object.values(resources(prod("Bus"), "AWS::Events::Archive"));
      expect(archive).toMatchObject({ DeletionPolicy: "Retain", Properties: { RetentionDays: 90 } });
    });

    it("tells the functions the stage's domain: the relying party and the page origin", () => {
      const fns = Object.values(resources(prod("ApiAccounts"), "AWS::Lambda::Function"))
        .map((fn) => (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {})
        .filter((env) => env.ORIGIN_VERIFY_SECRET);
      expect(fns.length).toBeGreaterThan(5);
      for (const env of fns) expect(env).toMatchObject({ WEBAUTHN_RP_ID: "auth.example.com", WEBAUTHN_ORIGINS: "https://auth.example.com" });
    });
  });
}
