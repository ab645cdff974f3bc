import { randomBytes } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import type { CdkCustomResourceEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { branchKeyStore, branchKeyTableInput, EncryptionSdkVault, hierarchicalKeyring, TOTP_BRANCH_KEY_ID } from "@twofactor/aws";
import { branchKeyMaker, handler } from "@twofactor/functions/custom-resources/branch-key";
import { carryTransactionsAsPuts, startLocalRuntime, type LocalRuntime } from "@twofactor/local";
import { BRANCH_KEY_KMS_ACTIONS, BRANCH_KEY_STORE_ACTIONS } from "../../infra/branch-key-maker.js";

/**
 * The Keys stack's custom resource handler, run on the embedded runtime: its dynalite as the branch
 * key store (a table of this test's own, empty, as after a first deploy) and its local KMS. dynalite
 * has no TransactWriteItems, so the handler's client carries the library's transaction out as its
 * puts (as the local runtime does for its own store). Every AWS call is recorded and compared with
 * what the maker's role is granted.
 */
const TABLE = "stage-twofactor-branch-keys";
let system: LocalRuntime;
let savedTable: string | undefined;
let closeTransactions: () => void;
const calls = new Set<string>();

const event = (RequestType: "Create" | "Update" | "Delete", PhysicalResourceId?: string) => ({
  RequestType, PhysicalResourceId, ServiceToken: "arn:aws:lambda:us-east-1:123456789012:function:provider", ResponseURL: "https://example.com",
  StackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/test-twofactor-Keys/1", RequestId: "1", LogicalResourceId: "BranchKey",
  ResourceType: "Custom::BranchKey", ResourceProperties: { ServiceToken: "arn:aws:lambda:us-east-1:123456789012:function:provider" },
  OldResourceProperties: {},
}) as unknown as CdkCustomResourceEvent;

async function records(dynamodb: DynamoDBClient): Promise<string[]> {
  const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: TABLE }));
  return Items.map((item) => `${item["branch-key-id"]!.S} ${item.type!.S!.replace(/^branch:version:.*$/, "branch:version:<uuid>")}`).sort();
}

beforeAll(async () => {
  system = await startLocalRuntime();
  savedTable = process.env.BRANCH_KEY_TABLE_NAME;
  process.env.BRANCH_KEY_TABLE_NAME = TABLE;
  const { dynamodb, kms } = branchKeyMaker();
  await dynamodb.send(new CreateTableCommand(branchKeyTableInput(TABLE)));
  const record = (service: string) => (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    const action = context.commandName!.replace(/Command$/, "");
    if (action === "TransactWriteItems") calls.add("dynamodb:PutItem"); // IAM authorizes each of its puts as a PutItem
    else if (action === "ReEncrypt") ["kms:ReEncryptFrom", "kms:ReEncryptTo"].forEach((a) => calls.add(a));
    else if (action !== "CreateTable" && action !== "Scan") calls.add(`${service}:${action}`);
    return next(args);
  };
  dynamodb.middlewareStack.add(record("dynamodb") as never, { step: "initialize", name: "recordCalls" });
  kms.middlewareStack.add(record("kms") as never, { step: "initialize", name: "recordCalls" });
  // After the recorder, which so sees the transaction before it is carried out as puts.
  closeTransactions = carryTransactionsAsPuts(dynamodb, process.env.DYNAMODB_ENDPOINT!, process.env.AWS_REGION!, system.credentials);
});

/** A vault as a function composes it, on clients of its own (the store watches its clients once). */
function vault(): EncryptionSdkVault {
  const { config } = branchKeyMaker();
  const dynamodb = new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT });
  const kms = new KMSClient({ endpoint: process.env.KMS_ENDPOINT });
  return new EncryptionSdkVault(hierarchicalKeyring(branchKeyStore({ tableName: TABLE, kmsKeyArn: config.KMS_KEY_ARN, kms, dynamodb }), TOTP_BRANCH_KEY_ID));
}

afterAll(async () => {
  const maker = branchKeyMaker();
  await maker.dynamodb.send(new DeleteTableCommand({ TableName: TABLE })).catch(() => {});
  closeTransactions?.();
  if (savedTable === undefined) delete process.env.BRANCH_KEY_TABLE_NAME;
  else process.env.BRANCH_KEY_TABLE_NAME = savedTable;
  await system?.stop();
});

describe("the branch key custom resource", () => {
  it("makes the first branch key on create, and on a second create makes nothing more: one branch key", async () => {
    const first = await handler(event("Create"));
    const second = await handler(event("Create"));

    expect(first).toEqual({ PhysicalResourceId: `${TABLE}/${TOTP_BRANCH_KEY_ID}`, Data: { BranchKeyId: TOTP_BRANCH_KEY_ID, Outcome: "created" } });
    expect(second).toEqual({ PhysicalResourceId: first.PhysicalResourceId, Data: { BranchKeyId: TOTP_BRANCH_KEY_ID, Outcome: "exists" } });
    expect(await records(branchKeyMaker().dynamodb)).toEqual([
      `${TOTP_BRANCH_KEY_ID} beacon:ACTIVE`, `${TOTP_BRANCH_KEY_ID} branch:ACTIVE`, `${TOTP_BRANCH_KEY_ID} branch:version:<uuid>`,
    ]);
  });

  it("makes a key the vault seals and opens TOTP secrets with", async () => {
    const sealer = vault();
    const secret = new Uint8Array(randomBytes(20));
    const context = { purpose: "totp", userId: "usr_branch_key_maker" };
    expect(Buffer.from(await sealer.open(await sealer.seal(secret, context), context))).toEqual(Buffer.from(secret));
  });

  it("leaves the key alone on update and delete", async () => {
    const id = `${TABLE}/${TOTP_BRANCH_KEY_ID}`;
    expect((await handler(event("Update", id))).Data).toMatchObject({ Outcome: "exists" });
    expect(await handler(event("Delete", id))).toEqual({ PhysicalResourceId: id });
    expect(await records(branchKeyMaker().dynamodb)).toHaveLength(3);
  });

  it("rotates with versionKey (npm run create-branch-key): a new active version, and secrets sealed before still open", async () => {
    const { dynamodb, store } = branchKeyMaker();
    const context = { purpose: "totp", userId: "usr_rotation" };
    const before = await vault().seal(new TextEncoder().encode("sealed before"), context);

    await store.versionKey({ branchKeyIdentifier: TOTP_BRANCH_KEY_ID });

    const versions = (await records(dynamodb)).filter((record) => record.endsWith("branch:version:<uuid>"));
    expect(versions).toHaveLength(2);
    expect(new TextDecoder().decode(await vault().open(before, context))).toBe("sealed before");
  });

  it("calls only what the maker's role is granted, and is granted nothing it does not call", () => {
    expect([...calls].sort()).toEqual([...BRANCH_KEY_STORE_ACTIONS, ...BRANCH_KEY_KMS_ACTIONS].sort());
  });
});
