/**
 * The function that reads the table's stream: plain data. The stacks turn on the table's stream
 * and give this function an event source mapping filtered to writes that owe events, with a
 * dead-letter queue; the local runtime runs it on the embedded table's stream.
 */
export const outboxRelay = {
  handler: "functions/events/outbox-relay.handler",
  /** Records per invocation, and how long the stream may gather them first: at scale one call publishes many events. */
  batchSize: 100,
  maxBatchingWindowSeconds: 1,
  /** Tries of a failing batch (split in two each time, to isolate a record that fails) before its place goes to the dead-letter queue. */
  retryAttempts: 10,
} as const;
