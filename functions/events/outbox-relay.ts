import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context, DynamoDBStreamEvent } from "aws-lambda";
import type { RelayReport } from "@twofactor/aws";
import { logger } from "@twofactor/http";
import { outboxRelay } from "../composition.js";

/**
 * The table's stream (filtered to writes that owe events) → EventBridge. What EventBridge refuses
 * goes to the backlog the sweep drains; a throw (the backlog unwritable too) makes the stream hand
 * over the batch again.
 */
export const handler = middy<DynamoDBStreamEvent, RelayReport, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const report = await outboxRelay().relay(event.Records);
    if (report.backlogged) logger.warn("events left in the outbox backlog for the sweep", { ...report });
    return report;
  });
