import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root, where `functions/...` handler paths of routes.ts and subscriptions.ts start. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Imports `functions/http/login.handler` as SST would: the module's `handler` export. */
export async function loadHandler<T>(handler: string): Promise<T> {
  const dot = handler.lastIndexOf(".");
  const module = (await import(pathToFileURL(`${REPO_ROOT}${handler.slice(0, dot)}.ts`).href)) as Record<string, T>;
  const exported = module[handler.slice(dot + 1)];
  if (!exported) throw new Error(`${handler} exports nothing by that name`);
  return exported;
}
