import { createHash } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DYNAMODB_ERRORS, newLocalCredentials, SignatureCheck, signedOnly, type LocalCredentials } from "./sigv4-guard.js";

/**
 * The signature check over real sockets, with requests signed by the SDK's own signer and then bent
 * the ways a forger would bend them. The stand-ins' end-to-end refusals are in tests/e2e/signed-stand-ins.test.ts.
 */
const credentials = newLocalCredentials();
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer(signedOnly(new SignatureCheck(credentials, "dynamodb"), DYNAMODB_ERRORS, (req, res, body) => res.end(`served ${req.url} ${body.toString()}`)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Signing { as?: LocalCredentials & { sessionToken?: string }; service?: string; path?: string; query?: Record<string, string>; payloadHash?: string; unsigned?: string[] }

/** A request signed by SignatureV4 as a client would sign it; `send` may then change the body or a header. */
async function signed(body: string, signing: Signing = {}): Promise<Record<string, string>> {
  const signer = new SignatureV4({ credentials: signing.as ?? credentials, service: signing.service ?? "dynamodb", region: "us-east-1", sha256: Sha256, applyChecksum: signing.payloadHash !== undefined });
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, "content-type": "application/x-amz-json-1.0", "x-amz-target": "DynamoDB_20120810.GetItem" };
  if (signing.payloadHash) headers["x-amz-content-sha256"] = signing.payloadHash;
  const out = await signer.sign(
    { method: "POST", protocol: "http:", hostname: "127.0.0.1", port, path: signing.path ?? "/", query: signing.query ?? {}, headers, body },
    { unsignableHeaders: new Set(signing.unsigned ?? []) },
  );
  return out.headers;
}

function send(headers: Record<string, string>, body: string, path = "/"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const refusedAs = (type: string) => ({ status: 400, body: expect.stringContaining(`"__type":"com.amazon.coral.service#${type}"`) });
const BODY = `{"TableName":"twofactor","Key":{"pk":{"S":"user#1"},"sk":{"S":"profile"}}}`;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("the Signature V4 check", () => {
  it("serves a request signed with the credentials, with or without x-amz-content-sha256, and with a query", async () => {
    expect(await send(await signed(BODY), BODY)).toEqual({ status: 200, body: `served / ${BODY}` });
    expect((await send(await signed(BODY, { payloadHash: sha256(BODY) }), BODY)).status).toBe(200);
    const query = await send(await signed(BODY, { path: "/", query: { a: "1 2", b: "é" } }), BODY, "/?a=1%202&b=%C3%A9");
    expect(query.status).toBe(200);
  });

  it("refuses a signature scoped to another service", async () => {
    expect(await send(await signed(BODY, { service: "kms" }), BODY)).toEqual(refusedAs("InvalidSignatureException"));
  });

  it("refuses a declared payload hash that is not the body's, though the signature covers it", async () => {
    const other = BODY.replace("user#1", "user#2");
    expect(await send(await signed(other, { payloadHash: sha256(other) }), BODY)).toEqual(refusedAs("InvalidSignatureException"));
  });

  it("refuses a changed query string and a changed signed header", async () => {
    expect(await send(await signed(BODY, { query: { a: "1" } }), BODY, "/?a=2")).toEqual(refusedAs("InvalidSignatureException"));
    const headers = await signed(BODY);
    expect(await send({ ...headers, "x-amz-target": "DynamoDB_20120810.DeleteItem" }, BODY)).toEqual(refusedAs("InvalidSignatureException"));
  });

  it("refuses a session token it never issued, and a signature that leaves out Host", async () => {
    expect(await send(await signed(BODY, { as: { ...credentials, sessionToken: "token" } }), BODY)).toEqual(refusedAs("UnrecognizedClientException"));
    expect(await send(await signed(BODY, { unsigned: ["host"] }), BODY)).toEqual(refusedAs("InvalidSignatureException"));
  });

  it("refuses an Authorization header that is not Signature V4, or a request without X-Amz-Date", async () => {
    expect(await send({ authorization: "Basic dXNlcjpwYXNz", "x-amz-date": "20260101T000000Z" }, BODY)).toEqual(refusedAs("IncompleteSignatureException"));
    const { "x-amz-date": _, ...undated } = await signed(BODY);
    expect(await send(undated, BODY)).toEqual(refusedAs("IncompleteSignatureException"));
  });
});
