import { revokeChangedDevice } from "@twofactor/core";
import { consume } from "./consumer.js";

/** DeviceChanged → the device is revoked (idempotent: a repeated event changes nothing more). */
export const handler = consume(revokeChangedDevice);
