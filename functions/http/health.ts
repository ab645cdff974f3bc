import { route } from "./route.js";

export const handler = route({ access: "public" }, async () => ({ status: 200, body: { status: "ok" } }));
