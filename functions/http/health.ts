import { staticRoute } from "@twofactor/http";
import * as contract from "./routes.js";

export const handler = staticRoute(contract.health, async () => ({ status: 200, body: { status: "ok" } }));
