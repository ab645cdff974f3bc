import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root, where `functions/...` handler paths of routes.ts and subscriptions.ts start. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Handler modules built into the same bundle as the runtime, by module path (`functions/http/login`). */
const bundledModules = new Map<string, Record<string, unknown>>();

/**
 * Hands over the handler modules of a bundle of the local server (the tests' server processes run
 * one): a bundle carries its modules with it and has no `.ts` files to import.
 */
export function bundleHandlerModules(modules: Record<string, Record<string, unknown>>): void {
  for (const [path, module] of Object.entries(modules)) bundledModules.set(path, module);
}

/** Imports `functions/http/login.handler` as SST would: the module's `handler` export. */
export async function loadHandler<T>(handler: string): Promise<T> {
  const dot = handler.lastIndexOf(".");
  const path = handler.slice(0, dot);
  const module = (bundledModules.get(path) ?? (await import(pathToFileURL(`${REPO_ROOT}${path}.ts`).href))) as Record<string, T>;
  const exported = module[handler.slice(dot + 1)];
  if (!exported) throw new Error(`${handler} exports nothing by that name`);
  return exported;
}
