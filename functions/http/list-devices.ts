import { listDevices } from "@twofactor/core";
import { schemas } from "@twofactor/http";
import { route } from "./route.js";

export const handler = route({ access: "full", query: schemas.pageQuery }, async ({ deps, session, query }) => ({
  status: 200,
  body: await listDevices(deps, session.userId, query),
}));
