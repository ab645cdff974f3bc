import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** The context Lambda hands a handler, for one local invocation of `handler` (a fresh request id each time). */
export function lambdaContext(handler: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: handler,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${handler}`,
    memoryLimitInMB: "1024",
    awsRequestId: randomUUID(),
    logGroupName: "local",
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
