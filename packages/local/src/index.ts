export { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from "./runtime.js";
export { LocalEventBus } from "./event-bus.js";
export { lambdaContext } from "./lambda-context.js";
export { currentHandler, observeInvocations, runAs } from "./invocation.js";
export { carryTransactionsAsPuts } from "./transactions-as-puts.js";
export { newLocalCredentials, type LocalCredentials } from "./sigv4-guard.js";
