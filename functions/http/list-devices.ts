import { listDevices } from "@twofactor/core";
import { route } from "./route.js";

export const handler = route("list-devices", async ({ deps, session, query }) => ({
  status: 200,
  body: await listDevices(deps, session.userId, query),
}));
