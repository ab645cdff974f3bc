/**
 * Functions that run on a schedule rather than on a route or an event: plain data. The stacks make
 * an EventBridge schedule for each; the local runtime runs them on a timer.
 */
export const outboxSweep = { handler: "functions/events/outbox-sweep.handler", everyMinutes: 1 } as const;

/** Takes the resets whose time has come into effect, so that a member who never comes back is told too. */
export const resetTimers = { handler: "functions/events/reset-timers.handler", everyMinutes: 1 } as const;

/** Sends a rollout that stopped moving (a dead-lettered continuation) its continuations again. */
export const stalledRollouts = { handler: "functions/events/stalled-rollouts.handler", everyMinutes: 5 } as const;

export const schedules = [outboxSweep, resetTimers, stalledRollouts] as const;
