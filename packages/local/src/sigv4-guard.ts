import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";

/** What the runtime's clients sign with and its stand-ins check; made anew at each start. */
export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export function newLocalCredentials(): LocalCredentials {
  return {
    accessKeyId: `LOCAL${randomBytes(8).toString("hex").toUpperCase().slice(0, 15)}`,
    secretAccessKey: randomBytes(30).toString("base64"),
  };
}

/** How a stand-in's service writes an error: DynamoDB's JSON 1.0 names it with coral's prefix, KMS's and EventBridge's JSON 1.1 without. */
export interface ErrorShape {
  contentType: string;
  typePrefix: string;
}
export const DYNAMODB_ERRORS: ErrorShape = { contentType: "application/x-amz-json-1.0", typePrefix: "com.amazon.coral.service#" };
export const JSON_1_1_ERRORS: ErrorShape = { contentType: "application/x-amz-json-1.1", typePrefix: "" };

type RefusalType = "MissingAuthenticationTokenException" | "IncompleteSignatureException" | "UnrecognizedClientException" | "InvalidSignatureException";
interface Refusal { type: RefusalType; message: string }

/** AWS refuses a signature dated more than this from its own clock, so a captured request cannot be replayed later. */
const MAX_SKEW_MS = 5 * 60_000;
/** dynalite's own limit; KMS's and EventBridge's are far lower. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const INVALID_TOKEN = "The security token included in the request is invalid.";
const MISMATCH = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/**
 * Checks a request's Signature V4 as the service would, by signing the request again with the
 * SDK's own signer (over the headers the client says it signed, and the body as received) and
 * comparing the two signatures.
 */
export class SignatureCheck {
  // The SDK adds x-amz-content-sha256 for some services only; the recomputation follows what the request says it signed.
  private readonly signers: Record<"withPayloadHeader" | "without", SignatureV4>;

  constructor(private readonly credentials: LocalCredentials, private readonly service: string) {
    // SHA-256 as the SDK's clients sign with it (node:crypto underneath); the region is each request's own scope's.
    const signer = (applyChecksum: boolean) => new SignatureV4({ credentials, service, region: "us-east-1", sha256: Sha256, applyChecksum });
    this.signers = { withPayloadHeader: signer(true), without: signer(false) };
  }

  async refusal(req: IncomingMessage, body: Buffer): Promise<Refusal | undefined> {
    const authorization = req.headers.authorization;
    if (!authorization) return { type: "MissingAuthenticationTokenException", message: "Request is missing Authentication Token" };
    // The runtime's credentials are long-term ones: any session token is one it never issued.
    if (req.headers["x-amz-security-token"] !== undefined) return { type: "UnrecognizedClientException", message: INVALID_TOKEN };
    const parts = AUTHORIZATION.exec(authorization);
    const date = String(req.headers["x-amz-date"] ?? "");
    const at = AMZ_DATE.exec(date);
    if (!parts || !at) {
      return { type: "IncompleteSignatureException", message: "Expected an AWS4-HMAC-SHA256 Authorization header with Credential, SignedHeaders and Signature, and an X-Amz-Date header." };
    }
    const [, credential, signedHeaderList, signature] = parts as unknown as [string, string, string, string];
    const [accessKeyId, day, region, service, terminator, ...rest] = credential.split("/");
    if (rest.length || !region || day !== date.slice(0, 8) || service !== this.service || terminator !== "aws4_request") {
      return { type: "InvalidSignatureException", message: `Credential should be scoped to the date of X-Amz-Date, a region and service '${this.service}', ending in 'aws4_request'.` };
    }
    if (accessKeyId !== this.credentials.accessKeyId) return { type: "UnrecognizedClientException", message: INVALID_TOKEN };

    const signingDate = new Date(Date.UTC(+at[1]!, +at[2]! - 1, +at[3]!, +at[4]!, +at[5]!, +at[6]!));
    const now = Date.now();
    if (signingDate.getTime() < now - MAX_SKEW_MS) {
      return { type: "InvalidSignatureException", message: `Signature expired: ${date} is now earlier than ${amzDate(now - MAX_SKEW_MS)} (${amzDate(now)} - 5 min.)` };
    }
    if (signingDate.getTime() > now + MAX_SKEW_MS) {
      return { type: "InvalidSignatureException", message: `Signature not yet current: ${date} is still later than ${amzDate(now + MAX_SKEW_MS)} (${amzDate(now)} + 5 min.)` };
    }
    const signedHeaders = signedHeaderList.split(";");
    if (!signedHeaders.includes("host")) return { type: "InvalidSignatureException", message: "'Host' must be a 'SignedHeader' in the AWS Authorization." };

    // Only what the client signed goes in; the signer sets X-Amz-Date from signingDate and, when the
    // client signed it, computes x-amz-content-sha256 from the body itself rather than trusting the header.
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) {
      if (name === "x-amz-date" || name === "x-amz-content-sha256") continue;
      const value = req.headers[name];
      if (value === undefined) return { type: "InvalidSignatureException", message: MISMATCH };
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const url = new URL(req.url ?? "/", "http://stand-in");
    const query: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams) (query[name] ??= []).push(value);
    const signer = signedHeaders.includes("x-amz-content-sha256") ? this.signers.withPayloadHeader : this.signers.without;
    const expected = await signer.sign(
      { method: req.method ?? "GET", protocol: "http:", hostname: "stand-in", path: safeDecode(url.pathname), query, headers, body },
      { signingDate, signingRegion: region, signingService: this.service, signableHeaders: new Set(signedHeaders) },
    );
    const computed = /Signature=([0-9a-f]{64})$/.exec(String(expected.headers.authorization))?.[1] ?? "";
    return timingSafeEqual(Buffer.from(computed.padEnd(64)), Buffer.from(signature)) ? undefined : { type: "InvalidSignatureException", message: MISMATCH };
  }
}

/**
 * A stand-in's request listener: the body is read and the signature checked before `handle` sees
 * anything; everything else is refused in the service's own error shape. No CORS header is ever
 * written, and a preflight (unsigned, as browsers send them) is refused like any unsigned request.
 */
export function signedOnly(check: SignatureCheck, shape: ErrorShape, handle: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): RequestListener {
  return (req, res) => {
    void readBody(req).then(async (body) => {
      if (body === undefined) {
        res.writeHead(413, { connection: "close" });
        return res.end();
      }
      const refused = await check.refusal(req, body);
      if (!refused) return handle(req, res, body);
      res.writeHead(400, { "content-type": shape.contentType, "x-amzn-errortype": refused.type });
      res.end(JSON.stringify({ __type: `${shape.typePrefix}${refused.type}`, message: refused.message }));
    }).catch(() => req.socket.destroy());
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Events rather than an async iterator: this runs for every request the runtime makes, and costs less so.
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) resolve(undefined);
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, "");

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
