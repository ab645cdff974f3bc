import { createRequire } from "node:module";
import path from "node:path";

/**
 * The repository's root, found through a workspace package rather than from this file's place:
 * `sst deploy` bundles sst.config.ts and these modules into one file beside the root
 * (`.sst.config.<time>.mjs`), where a path relative to `import.meta.url` would point elsewhere.
 */
export const ROOT = path.dirname(path.dirname(createRequire(import.meta.url).resolve("@twofactor/functions/handlers")));
