import { EventEmitter } from "node:events";
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { createTableInput } from "@twofactor/aws";
import { closeServer } from "./close-server.js";
import { DYNAMODB_ERRORS, SignatureCheck, signedOnly, type LocalCredentials } from "./sigv4-guard.js";

export interface EmbeddedDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/** Sees each signed request, its body read, before dynalite answers it on `res` (the table's stream watches the answers). */
export type DynamoTap = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

/**
 * dynalite on a loopback port: on disk under `path`, or in memory without one. Its server answers
 * only requests signed with `credentials`: dynalite's own request handler is swapped for the
 * signature check, which hands it the signed ones (dynalite itself checks no signature), after
 * `tap` has seen them.
 */
export async function startDynalite(credentials: LocalCredentials, path?: string, tap?: DynamoTap): Promise<EmbeddedDynamo> {
  const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const [dynaliteHandler] = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  server.on("request", signedOnly(new SignatureCheck(credentials, "dynamodb"), DYNAMODB_ERRORS, (req, res, body) => {
    tap?.(req, body, res);
    replay(req, body, (replayed) => dynaliteHandler!(replayed, res));
  }));
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
 * Hands dynalite the request as it reads it (headers, method, url, then the body's data and end
 * events), the body having been read already for the signature. Without its Origin header: dynalite
 * answers any request that has one with `Access-Control-Allow-Origin: *`, and no stand-in sends CORS headers.
 */
function replay(req: IncomingMessage, body: Buffer, handle: (replayed: IncomingMessage) => void): void {
  const headers: IncomingHttpHeaders = { ...req.headers };
  delete headers.origin;
  const replayed = Object.assign(new EventEmitter(), { headers, method: req.method, url: req.url });
  handle(replayed as unknown as IncomingMessage); // dynalite listens for the body's events synchronously
  if (body.length) replayed.emit("data", body);
  replayed.emit("end");
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
