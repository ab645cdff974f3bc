import { existsSync, readFileSync } from "node:fs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * A crash at a chosen point, for server processes a test kills between two writes: with
 * CRASH_POINT_FILE set, every store call that succeeds is compared with the point the file names
 * (when it exists), and the first that matches kills the process with SIGKILL, right after the
 * write is stored and before anything else runs.
 */
export interface CrashPoint {
  /** An update of the item with this key (a bundle may rename the commands' classes: the input says what it is). */
  pk: string;
  sk: string;
  /** A word of the condition expression, or the start of an attribute name the call uses. */
  mentions: string;
}

const file = process.env.CRASH_POINT_FILE;

function matches(point: CrashPoint, command: { input: unknown }): boolean {
  const input = command.input as {
    Key?: { pk?: string; sk?: string }; UpdateExpression?: string; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>;
  };
  return input.UpdateExpression !== undefined && input.Key?.pk === point.pk && input.Key.sk === point.sk
    && ((input.ConditionExpression ?? "").includes(point.mentions)
      || Object.values(input.ExpressionAttributeNames ?? {}).some((name) => name.startsWith(point.mentions)));
}

if (file) {
  const send = DynamoDBDocumentClient.prototype.send as (...args: any[]) => Promise<unknown>;
  DynamoDBDocumentClient.prototype.send = async function (this: DynamoDBDocumentClient, ...args: any[]) {
    const out = await send.apply(this, args);
    const point = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as CrashPoint) : undefined;
    if (point && matches(point, args[0])) process.kill(process.pid, "SIGKILL");
    return out;
  } as typeof DynamoDBDocumentClient.prototype.send;
}
