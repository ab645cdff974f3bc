import type { IncomingHttpHeaders, IncomingMessage, RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { createTableInput } from "@twofactor/aws";
import { closeServer } from "./close-server.js";
import { DYNAMODB_ERRORS, SignatureCheck, signedOnly, type LocalCredentials } from "./sigv4-guard.js";

export interface EmbeddedDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * dynalite on a loopback port: on disk under `path`, or in memory without one. Its server answers
 * only requests signed with `credentials`: dynalite's own request handler is swapped for the
 * signature check, which hands it the signed ones (dynalite itself checks no signature).
 */
export async function startDynalite(credentials: LocalCredentials, path?: string): Promise<EmbeddedDynamo> {
  const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const [dynaliteHandler] = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  server.on("request", signedOnly(new SignatureCheck(credentials, "dynamodb"), DYNAMODB_ERRORS, (req, res, body) =>
    dynaliteHandler!(replayed(req, body), res)));
  // Longer than the SDK keeps idle sockets, so a burst never reuses a socket dynalite is closing at
  // that moment (an ECONNRESET that the SDK's retries can all meet on a loaded machine).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => closeServer(server, "dynalite"),
  };
}

/**
 * The request as dynalite reads it (headers, method, url and the body's data and end events), with
 * the body already read for the signature. Without its Origin header: dynalite answers any request
 * that has one with `Access-Control-Allow-Origin: *`, and no stand-in sends CORS headers.
 */
function replayed(req: IncomingMessage, body: Buffer): IncomingMessage {
  const headers: IncomingHttpHeaders = { ...req.headers };
  delete headers.origin;
  return Object.assign(Readable.from(body.length ? [body] : []), { headers, method: req.method, url: req.url }) as unknown as IncomingMessage;
}

/** Creates the table from the shared definition unless it exists (a restart keeps the data). */
export async function ensureTable(endpoint: string, tableName: string, region: string, credentials: LocalCredentials): Promise<void> {
  // dynalite keeps tables per region, as DynamoDB does: create it where the stores will look.
  const client = new DynamoDBClient({ endpoint, region, credentials });
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await untilActive(client, tableName);
  } finally {
    client.destroy();
  }
}

/** dynalite, like DynamoDB, answers ResourceNotFound until a new table and its indexes are ACTIVE. */
async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === "ACTIVE");
    if (Table?.TableStatus === "ACTIVE" && indexesActive) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
