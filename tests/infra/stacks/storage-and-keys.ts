import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { createTableInput } from "@twofactor/aws";
import { BRANCH_KEY_KMS_ACTIONS, BRANCH_KEY_MAKER_HANDLER, BRANCH_KEY_STORE_ACTIONS, branchKeyMakerRoleName } from "../../../infra/branch-key-maker.js";
import { keyUserRoleName } from "../../../infra/functions.js";
import { ADMIN_ACTIONS } from "../../../infra/keys.js";
import { keyUsers } from "../../../infra/permissions.js";
import { actionsOf, functionsByHandler, refId, resources, statementsOfFunction, type Statement } from "../template.js";
import { functionTemplates } from "./functions.js";
import { main, quiet, RESTORED_TABLE, RESTORED_TABLE_STREAM, STAGE } from "./synths.js";

const PURPOSE_TOTP = { "kms:EncryptionContext:purpose": "totp" };
const BRANCH_KEY_CONTEXT = { "kms:EncryptionContext:tablename": `${STAGE}-twofactor-branch-keys`, "kms:EncryptionContext:branch-key-id": "totp-secrets" };

export function describeStorageAndKeys(): void {
describe("storage", () => {
  it("declares the table the local runtime creates: keys, the sparse outbox index, TTL", () => {
    const local = createTableInput("ignored");
    const [table] = Object.values(resources(main("Storage"), "AWS::DynamoDB::Table"));
    expect(Object.keys(resources(main("Storage"), "AWS::DynamoDB::Table"))).toHaveLength(1);
    const p = table!.Properties;
    expect(p.KeySchema).toEqual(local.KeySchema);
    expect(p.AttributeDefinitions).toEqual(expect.arrayContaining(local.AttributeDefinitions!));
    expect(p.AttributeDefinitions).toHaveLength(local.AttributeDefinitions!.length);
    expect(p.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect(p.GlobalSecondaryIndexes).toEqual([expect.objectContaining({
      IndexName: "outbox",
      KeySchema: [{ AttributeName: "outboxShard", KeyType: "HASH" }, { AttributeName: "outboxDue", KeyType: "RANGE" }],
      Projection: { ProjectionType: "KEYS_ONLY" },
    })]);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: "expiresAt", Enabled: true });
  });

  it("is on demand, encrypted, with point-in-time recovery, and disposable outside prod", () => {
    main("Storage").hasResource("AWS::DynamoDB::Table", {
      Properties: Match.objectLike({
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      }),
      DeletionPolicy: "Delete",
    });
  });
});

describe("a restored table", () => {
  it("is what every function uses once RESTORED_TABLE_NAME names it, while the stage's own table stays declared", () => {
    expect(Object.keys(resources(quiet("Storage"), "AWS::DynamoDB::Table"))).toHaveLength(1);
    const tables = ["ApiAccounts", "ApiMe", "ApiTeams", "Bus"].flatMap((stack) => Object.values(resources(quiet(stack), "AWS::Lambda::Function"))
      .map((fn) => (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.TABLE_NAME).filter(Boolean));
    expect(tables.length).toBeGreaterThan(40);
    expect(new Set(tables)).toEqual(new Set([RESTORED_TABLE]));
    expect(JSON.stringify(quiet("Storage").toJSON().Outputs.TableName.Value)).toBe(JSON.stringify(RESTORED_TABLE));
    // The outbox relay reads the restored table's stream.
    const sources = Object.values(resources(quiet("Bus"), "AWS::Lambda::EventSourceMapping")).map((m) => m.Properties.EventSourceArn);
    expect(sources).toContain(RESTORED_TABLE_STREAM);
  });
});

describe("keys", () => {
  const keyPolicy = () => {
    const [key] = Object.values(resources(main("Keys"), "AWS::KMS::Key"));
    return (key!.Properties.KeyPolicy as { Statement: (Statement & { Principal: unknown; Sid?: string })[] }).Statement;
  };
  const roleNameOf = (handler: string) => keyUserRoleName(STAGE, "us-east-1", handler);

  it("has one symmetric key with rotation and an alias", () => {
    main("Keys").resourceCountIs("AWS::KMS::Key", 1);
    main("Keys").hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    main("Keys").hasResourceProperties("AWS::KMS::Alias", { AliasName: `alias/${STAGE}-twofactor-totp-secrets` });
    const [key] = Object.values(resources(main("Keys"), "AWS::KMS::Key"));
    expect(key!.Properties.KeySpec ?? "SYMMETRIC_DEFAULT").toBe("SYMMETRIC_DEFAULT");
  });

  it("lets the account administer the key and the branch key maker's role alone make branch keys: no decrypting, no grant-making", () => {
    const unconditioned = keyPolicy().filter((statement) => !statement.Condition);
    expect(unconditioned).toHaveLength(1);
    expect(actionsOf(unconditioned[0]!).sort()).toEqual([...ADMIN_ACTIONS].sort());
    for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncrypt*", "kms:CreateGrant", "kms:*"]) {
      expect(actionsOf(unconditioned[0]!), action).not.toContain(action);
    }
    const makeBranchKeys = keyPolicy().find((statement) => statement.Sid === "MakeBranchKeys")!;
    expect(actionsOf(makeBranchKeys).sort()).toEqual([...BRANCH_KEY_KMS_ACTIONS].sort());
    expect(makeBranchKeys.Condition!.StringEquals).toEqual({ "kms:EncryptionContext:tablename": `${STAGE}-twofactor-branch-keys` });
    const makers = makeBranchKeys.Condition!.ArnEquals!["aws:PrincipalArn"];
    expect(JSON.stringify(makers)).toMatch(new RegExp(`:role/${branchKeyMakerRoleName(STAGE, "us-east-1")}"`));
    expect([makers].flat()).toHaveLength(1);
  });

  it("makes the first branch key at deploy time: a custom resource whose function runs as the maker's role, with the store's grants only", () => {
    const [branchKey] = Object.values(resources(main("Keys"), "Custom::BranchKey"));
    expect(branchKey!.Properties).toMatchObject({ BranchKeyId: "totp-secrets", TableName: { Ref: expect.stringMatching(/^BranchKeys/) } });
    const fns = resources(main("Keys"), "AWS::Lambda::Function");
    const maker = Object.values(fns).find((fn) => fn.Properties.Handler === BRANCH_KEY_MAKER_HANDLER)!;
    expect(maker.Properties.Runtime).toBe("nodejs22.x");
    expect((maker.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({ BRANCH_KEY_ID: "totp-secrets" });
    const provider = Object.values(fns).find((fn) => JSON.stringify(fn.Properties.Environment ?? {}).includes("USER_ON_EVENT_FUNCTION_ARN"))!;
    expect(refId(branchKey!.Properties.ServiceToken)).toBe(Object.entries(fns).find(([, fn]) => fn === provider)![0]);
    const role = resources(main("Keys"), "AWS::IAM::Role")[refId(maker.Properties.Role)!]!;
    expect(role.Properties.RoleName).toBe(branchKeyMakerRoleName(STAGE, "us-east-1"));
    const statements = statementsOfFunction(main("Keys"), maker);
    const onStore = statements.find((st) => JSON.stringify(st.Resource).includes("BranchKeys"))!;
    expect(actionsOf(onStore).sort()).toEqual([...BRANCH_KEY_STORE_ACTIONS].sort());
    const onKey = statements.find((st) => actionsOf(st).some((a) => a.startsWith("kms:")))!;
    expect(actionsOf(onKey).sort()).toEqual([...BRANCH_KEY_KMS_ACTIONS].sort());
    expect(onKey.Condition).toEqual({ StringEquals: { "kms:EncryptionContext:tablename": `${STAGE}-twofactor-branch-keys` } });
    expect(statements).toHaveLength(2);
  });

  it("grants Decrypt to the roles of exactly the handlers permissions.ts names: of the branch key, and of secrets sealed before (purpose totp)", () => {
    const uses = keyPolicy().filter((statement) => statement.Condition && statement.Sid !== "MakeBranchKeys");
    expect(uses.map((statement) => statement.Sid).sort()).toEqual(["UseDecrypt", "UseDecryptBranchKey"]);
    for (const statement of uses) {
      const grant = statement.Sid === "UseDecrypt" ? "kms:Decrypt" : "kms:Decrypt@branch-keys";
      expect(actionsOf(statement)).toEqual(["kms:Decrypt"]);
      const arns = statement.Condition!.ArnEquals!["aws:PrincipalArn"] as unknown[];
      const names = arns.map((arn) => JSON.stringify(arn).match(/:role\/([^"]+)"/)![1]).sort();
      expect(names, grant).toEqual(keyUsers(grant).map(roleNameOf).sort());
      expect(statement.Condition!.StringEquals, grant).toEqual(grant === "kms:Decrypt" ? PURPOSE_TOTP : BRANCH_KEY_CONTEXT);
    }
    // Sealing needs the branch key only: no handler makes a KMS data key any more.
    expect(keyUsers("kms:Decrypt@branch-keys")).toContain("functions/http/start-totp-enrollment.handler");
    expect(keyUsers("kms:Decrypt")).not.toContain("functions/http/start-totp-enrollment.handler");
  });

  it("gives those names to the key users' roles, and only they hold key actions, each for its context", () => {
    const withKms = functionTemplates().flatMap((template) => [...functionsByHandler(template)]
      .filter(([, { fn }]) => statementsOfFunction(template, fn).some((s) => actionsOf(s).some((a) => a.startsWith("kms:"))))
      .map(([handler, { fn }]) => {
        const role = resources(template, "AWS::IAM::Role")[refId(fn.Properties.Role)!]!;
        expect(role.Properties.RoleName, handler).toBe(roleNameOf(handler));
        const conditions = statementsOfFunction(template, fn).filter((st) => actionsOf(st).some((a) => a.startsWith("kms:"))).map((st) => st.Condition);
        expect(conditions, handler).toEqual(expect.arrayContaining([{ StringEquals: BRANCH_KEY_CONTEXT }]));
        for (const condition of conditions) expect([PURPOSE_TOTP, BRANCH_KEY_CONTEXT], handler).toContainEqual(condition!.StringEquals);
        return handler;
      }));
    expect(withKms.sort()).toEqual([...new Set([...keyUsers("kms:Decrypt"), ...keyUsers("kms:Decrypt@branch-keys")])].sort());
    for (const handler of withKms) expect(roleNameOf(handler).length).toBeLessThanOrEqual(64);
  });

  it("has the branch key store's table (the library's keys), and only the key users read it, by GetItem", () => {
    main("Keys").hasResourceProperties("AWS::DynamoDB::Table", {
      TableName: `${STAGE}-twofactor-branch-keys`,
      KeySchema: [{ AttributeName: "branch-key-id", KeyType: "HASH" }, { AttributeName: "type", KeyType: "RANGE" }],
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    const readers = functionTemplates().flatMap((template) => [...functionsByHandler(template)]
      .filter(([, { fn }]) => statementsOfFunction(template, fn).some((s) => JSON.stringify(s.Resource).includes("BranchKeys")))
      .map(([handler, { fn }]) => {
        const onStore = statementsOfFunction(template, fn).filter((s) => JSON.stringify(s.Resource).includes("BranchKeys"));
        expect(onStore.flatMap(actionsOf), handler).toEqual(["dynamodb:GetItem"]);
        return handler;
      }));
    expect(readers.sort()).toEqual(keyUsers("kms:Decrypt@branch-keys").sort());
  });
});

}
