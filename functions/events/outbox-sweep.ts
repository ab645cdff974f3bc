import { getRuntime } from "../composition.js";

/** Items whose events were not published within this long are published by the sweep. */
const GRACE_MS = 60_000;

/** Scheduled: publishes events a crashed or failed request still owes. */
export const handler = async (): Promise<{ published: number }> => {
  const { outbox } = await getRuntime();
  return { published: await outbox.sweep(new Date(Date.now() - GRACE_MS)) };
};
