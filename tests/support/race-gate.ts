import { randomBytes } from "node:crypto";
import type { LocalRuntime } from "@twofactor/local";

/** A DynamoDB call as the table's client sees it: the low-level command name and the document input. */
export interface StoreCall {
  command: string;
  input: { Key?: { pk?: string; sk?: string }; KeyConditionExpression?: string; ExpressionAttributeValues?: Record<string, unknown> };
}

/**
 * Makes concurrent requests race as a test means them to: the writes `isWrite` picks wait until
 * `reads` calls that `isRead` picks have been made, so every request has read before any of them
 * writes. Without it, on a busy machine one request can finish before the other starts, and the two
 * are sequential (each then answers as it legitimately would alone). Returns the unhook.
 */
export function holdWritesUntilRead(system: LocalRuntime, reads: number, isRead: (call: StoreCall) => boolean, isWrite: (call: StoreCall) => boolean): () => void {
  const name = `race-gate-${randomBytes(4).toString("hex")}`;
  const client = system.runtime.table.client;
  let seen = 0;
  let release!: () => void;
  const allRead = new Promise<void>((resolve) => (release = resolve));
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const call = { command: context.commandName ?? "", input: args.input as StoreCall["input"] };
      if (isRead(call) && ++seen === reads) release();
      if (isWrite(call)) await allRead;
      return next(args);
    },
    { step: "initialize", name },
  );
  return () => client.middlewareStack.remove(name);
}
