import { revokeForgottenDevices } from "@twofactor/core";
import { consume } from "./consumer.js";

/** A factor change or a device that came back changed → the devices it forgot are revoked and told (idempotent). */
export const handler = consume(revokeForgottenDevices);
