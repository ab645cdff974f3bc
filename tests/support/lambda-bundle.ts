import { fork } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/**
 * Runs a function bundle as Lambda would: a fresh `node` process with only the environment the
 * function is given imports the bundle, then its handler takes one event; the answer comes back over
 * the IPC channel, since the function's own log lines go to stdout.
 */
export async function invokeBundle(
  bundle: string,
  event: APIGatewayProxyEventV2,
  env: Record<string, string>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const runner = path.join(path.dirname(bundle), "invoke-once.mjs");
  await writeFile(runner, RUNNER);
  return new Promise((resolve, reject) => {
    const child = fork(runner, [pathToFileURL(bundle).href], { env, execArgv: [], stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("message", (result) => resolve(result as APIGatewayProxyStructuredResultV2));
    child.once("error", reject);
    child.once("exit", (code) => { if (code !== 0) reject(new Error(`the bundle's process exited with ${code}: ${stderr}`)); });
    child.send(event);
  });
}

const RUNNER = `
const { handler } = await import(process.argv[2]);
process.once("message", async (event) => {
  const context = {
    functionName: "bundle", functionVersion: "$LATEST", invokedFunctionArn: "arn:aws:lambda:us-east-1:111122223333:function:bundle",
    memoryLimitInMB: "1024", awsRequestId: "bundle-test", logGroupName: "bundle", logStreamName: "bundle",
    callbackWaitsForEmptyEventLoop: false, getRemainingTimeInMillis: () => 10000,
  };
  const result = await handler(event, context);
  process.send(result, () => process.exit(0));
});
`;

/** The API Gateway HTTP API (payload 2.0) event of one request, as the stage would send it. */
export function apiEvent(request: {
  method: string; path: string; route: string; body?: unknown; pathParameters?: Record<string, string>; headers?: Record<string, string>;
}): APIGatewayProxyEventV2 {
  const routeKey = `${request.method} ${request.route}`;
  const headers = { "content-type": "application/json", "user-agent": "bundle-test/1.0", ...request.headers };
  return {
    version: "2.0", routeKey, rawPath: request.path, rawQueryString: "", headers,
    pathParameters: request.pathParameters,
    requestContext: {
      accountId: "111122223333", apiId: "bundle", domainName: "api.example.com", domainPrefix: "api", requestId: "bundle-test",
      routeKey, stage: "$default", time: new Date().toUTCString(), timeEpoch: Date.now(),
      http: { method: request.method, path: request.path, protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: headers["user-agent"] },
    },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    isBase64Encoded: false,
  };
}
