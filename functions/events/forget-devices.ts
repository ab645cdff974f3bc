import { forgetDevicesAfterFactorChange } from "@twofactor/core";
import { consume } from "./consumer.js";

/** A factor change → the user's devices trusted before it are forgotten (idempotent). */
export const handler = consume(forgetDevicesAfterFactorChange);
