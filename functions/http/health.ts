import { route } from "./route.js";

export const handler = route("health", async () => ({ status: 200, body: { status: "ok" } }));
