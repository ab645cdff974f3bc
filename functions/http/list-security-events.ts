import { listSecurityEvents } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("list-security-events", async ({ deps, session, query }) => ({
  status: 200,
  body: await listSecurityEvents(deps, session.userId, query),
}));
