import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DecryptCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { newLocalCredentials, type LocalCredentials } from "@twofactor/local";
import { readConfig } from "@twofactor/functions/config";
import { signUpAndLogin, type TestUser } from "../support/flows.js";
import { useSystem } from "../support/system.js";

/**
 * The stand-ins beside the API (dynalite as DynamoDB, the local KMS, the bus's PutEvents) answer
 * only requests signed (Signature V4) with the credentials the runtime made at this start, and
 * refuse the rest as the service would, with nothing done. Another local process or a web page that
 * finds a port gets no item, no plaintext, no forged event, and no CORS header.
 */
const ctx = useSystem();
const region = process.env.AWS_REGION ?? "us-east-1";

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A plain HTTP request, as any local process or a browser's fetch could send it. */
function send(url: string, method: string, headers: Record<string, string>, body = ""): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const corsHeaders = (headers: Answer["headers"]) => Object.keys(headers).filter((name) => name.startsWith("access-control-"));

/** What a test changes about an SDK request after the SDK built and signed it. */
type Interference = { origin?: string; tamper?: boolean };
interface ClientConfig { credentials: LocalCredentials; systemClockOffset?: number }

interface StandIn {
  name: string;
  endpoint(): string;
  /** How the service writes errors: DynamoDB's JSON 1.0 with coral's prefix, KMS's and EventBridge's JSON 1.1 without. */
  errors: { contentType: string; typePrefix: string };
  /** A request that would change something or open a secret, in the service's wire protocol, made anew for each use. */
  raw(): { target: string; contentType: string; body: string };
  /** The same request through the service's SDK client. Answers the response headers. */
  sdk(config: ClientConfig, interference?: Interference): Promise<Answer["headers"]>;
  /** How many such requests took effect so far (items stored, ciphertexts opened, events logged). */
  effects(): Promise<number>;
}

/** The SDK client's last step before the wire: add an Origin (signed with the rest), or change the body after signing. */
function interfere(client: { middlewareStack: DynamoDBClient["middlewareStack"] }, interference: Interference, seen: { headers: Answer["headers"] }) {
  client.middlewareStack.add((next) => async (args) => {
    const request = args.request as { headers: Record<string, string>; body: string };
    if (interference.tamper) {
      request.body = `${request.body} `;
      request.headers["content-length"] = String(Buffer.byteLength(request.body));
    }
    const out = await next(args);
    seen.headers = (out.response as { headers: Answer["headers"] }).headers;
    return out;
  }, { step: "deserialize", priority: "low", name: "testInterference" });
  if (interference.origin) {
    client.middlewareStack.add((next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers.origin = interference.origin!;
      return next(args);
    }, { step: "build", name: "testOrigin" });
  }
}

let victim: TestUser;
let sealed: Uint8Array;
const PLAINTEXT = "the TOTP secret of somebody";

const forgedItem = () => ({ pk: { S: `forged#${randomUUID()}` }, sk: { S: "forged" } });
const forgedEvent = () => ({
  Source: "twofactor", DetailType: "LoginFailed", EventBusName: "twofactor-local",
  Detail: JSON.stringify({ eventId: randomUUID(), occurredAt: new Date().toISOString(), actor: victim.id, userId: victim.id, stage: "password", method: "password" }),
});

const standIns: StandIn[] = [
  {
    name: "the store (dynalite as DynamoDB)",
    endpoint: () => readConfig().DYNAMODB_ENDPOINT!,
    errors: { contentType: "application/x-amz-json-1.0", typePrefix: "com.amazon.coral.service#" },
    raw: () => ({ target: "DynamoDB_20120810.PutItem", contentType: "application/x-amz-json-1.0", body: JSON.stringify({ TableName: "twofactor", Item: forgedItem() }) }),
    async sdk(config, interference = {}) {
      const client = new DynamoDBClient({ endpoint: this.endpoint(), region, maxAttempts: 1, ...config });
      const seen = { headers: {} };
      interfere(client, interference, seen);
      try {
        await client.send(new PutItemCommand({ TableName: "twofactor", Item: forgedItem() }));
        return seen.headers;
      } finally {
        client.destroy();
      }
    },
    async effects() {
      const { client, name } = ctx.system.runtime.table;
      const { Items = [] } = await client.send(new ScanCommand({ TableName: name, ConsistentRead: true, FilterExpression: "sk = :forged", ExpressionAttributeValues: { ":forged": "forged" } }));
      return Items.length;
    },
  },
  {
    name: "the key service (local KMS)",
    endpoint: () => ctx.system.kms.endpoint,
    errors: { contentType: "application/x-amz-json-1.1", typePrefix: "" },
    raw: () => ({ target: "TrentService.Decrypt", contentType: "application/x-amz-json-1.1", body: JSON.stringify({ CiphertextBlob: Buffer.from(sealed).toString("base64") }) }),
    async sdk(config, interference = {}) {
      const client = new KMSClient({ endpoint: this.endpoint(), region, maxAttempts: 1, ...config });
      const seen = { headers: {} };
      interfere(client as unknown as { middlewareStack: DynamoDBClient["middlewareStack"] }, interference, seen);
      try {
        const { Plaintext } = await client.send(new DecryptCommand({ CiphertextBlob: sealed }));
        expect(Buffer.from(Plaintext!).toString()).toBe(PLAINTEXT);
        return seen.headers;
      } finally {
        client.destroy();
      }
    },
    effects: async () => ctx.system.kms.requests.Decrypt ?? 0,
  },
  {
    name: "the bus (EventBridge PutEvents)",
    endpoint: () => ctx.system.bus.endpoint,
    errors: { contentType: "application/x-amz-json-1.1", typePrefix: "" },
    raw: () => ({ target: "AWSEvents.PutEvents", contentType: "application/x-amz-json-1.1", body: JSON.stringify({ Entries: [forgedEvent()] }) }),
    async sdk(config, interference = {}) {
      const client = new EventBridgeClient({ endpoint: this.endpoint(), region, maxAttempts: 1, ...config });
      const seen = { headers: {} };
      interfere(client as unknown as { middlewareStack: DynamoDBClient["middlewareStack"] }, interference, seen);
      try {
        const { FailedEntryCount } = await client.send(new PutEventsCommand({ Entries: [forgedEvent()] }));
        expect(FailedEntryCount).toBe(0);
        return seen.headers;
      } finally {
        client.destroy();
      }
    },
    async effects() {
      await ctx.system.bus.idle();
      const { items } = (await ctx.api.get("/v1/me/security-events?limit=100", victim.token)).body as { items: { type: string }[] };
      return items.filter((event) => event.type === "LoginFailed").length;
    },
  },
];

beforeAll(async () => {
  victim = await signUpAndLogin(ctx.api, "Victim");
  const kms = new KMSClient({ endpoint: ctx.system.kms.endpoint, region, credentials: ctx.system.credentials });
  sealed = (await kms.send(new EncryptCommand({ KeyId: ctx.system.kms.keyArn, Plaintext: Buffer.from(PLAINTEXT) }))).CiphertextBlob!;
  kms.destroy();
});

describe.each(standIns)("$name", (standIn) => {
  it("refuses an unsigned request as the service does, sends no CORS header, and does nothing", async () => {
    const before = await standIn.effects();
    const { target, contentType, body } = standIn.raw();
    const answer = await send(standIn.endpoint(), "POST", { "content-type": contentType, "x-amz-target": target, origin: "http://localhost:5173" }, body);
    expect(answer.status).toBe(400);
    expect(answer.headers["content-type"]).toBe(standIn.errors.contentType);
    expect(JSON.parse(answer.body)).toEqual({ __type: `${standIn.errors.typePrefix}MissingAuthenticationTokenException`, message: "Request is missing Authentication Token" });
    expect(answer.body).not.toContain(Buffer.from(PLAINTEXT).toString("base64"));
    expect(corsHeaders(answer.headers)).toEqual([]);
    expect(await standIn.effects()).toBe(before);
  });

  it("answers a browser's CORS preflight with no CORS header", async () => {
    const answer = await send(standIn.endpoint(), "OPTIONS", {
      origin: "https://page-that-found-the-port.example", "access-control-request-method": "POST",
      "access-control-request-headers": "content-type,x-amz-target,authorization,x-amz-date",
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: `${standIn.errors.typePrefix}MissingAuthenticationTokenException` });
    expect(corsHeaders(answer.headers)).toEqual([]);
  });

  const signedAmiss: [string, () => ClientConfig, string, RegExp][] = [
    ["credentials of its own", () => ({ credentials: newLocalCredentials() }), "UnrecognizedClientException", /security token included in the request is invalid/],
    ["the runtime's key id and another secret", () => ({ credentials: { ...ctx.system.credentials, secretAccessKey: newLocalCredentials().secretAccessKey } }),
      "InvalidSignatureException", /signature we calculated does not match/],
    ["the runtime's credentials, dated 6 minutes ago", () => ({ credentials: ctx.system.credentials, systemClockOffset: -6 * 60_000 }), "InvalidSignatureException", /^Signature expired/],
    ["the runtime's credentials, dated 6 minutes ahead", () => ({ credentials: ctx.system.credentials, systemClockOffset: 6 * 60_000 }), "InvalidSignatureException", /^Signature not yet current/],
  ];
  it.each(signedAmiss)("refuses a request signed with %s, and does nothing", async (_, config, type, message) => {
    const before = await standIn.effects();
    await expect(standIn.sdk(config())).rejects.toMatchObject({ name: type, message: expect.stringMatching(message), $metadata: { httpStatusCode: 400 } });
    expect(await standIn.effects()).toBe(before);
  });

  it("refuses a request signed with the runtime's credentials whose body was changed after signing", async () => {
    const before = await standIn.effects();
    await expect(standIn.sdk({ credentials: ctx.system.credentials }, { tamper: true })).rejects.toMatchObject({ name: "InvalidSignatureException" });
    expect(await standIn.effects()).toBe(before);
  });

  it("serves the same request signed with the runtime's credentials, with no CORS header even when it carries an Origin", async () => {
    const before = await standIn.effects();
    const headers = await standIn.sdk({ credentials: ctx.system.credentials }, { origin: "http://localhost:5173" });
    expect(corsHeaders(headers)).toEqual([]);
    expect(await standIn.effects()).toBe(before + 1);
  });
});
