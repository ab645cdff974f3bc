import type { IssuedSession, RememberedDevice, UserView } from "@twofactor/core";
import type { Reply } from "./route.js";

export const DEVICE_COOKIE = "device_trust";

/**
 * The device-trust token a request carries: the `device_trust` cookie (a browser) or the
 * `X-Device-Token` header (a client without cookies). Whatever it holds is only ever looked up by
 * its hash, so a garbage value is simply no device.
 */
export function presentedDeviceToken(input: { cookies: Record<string, string>; headers: Record<string, string | undefined> }): string | undefined {
  return input.cookies[DEVICE_COOKIE] ?? input.headers["x-device-token"] ?? undefined;
}

/**
 * docs/api.md: HttpOnly (no script reads it), Secure, SameSite=Strict, Path=/v1/auth (sent to the login
 * and challenge routes only), Max-Age the device's remaining lifetime.
 */
export function deviceTrustCookie(device: RememberedDevice): string {
  return `${DEVICE_COOKIE}=${device.token}; Max-Age=${device.maxAgeSeconds}; Path=/v1/auth; HttpOnly; Secure; SameSite=Strict`;
}

/** A second-factor login's 201: the session and user, and, when the device was remembered, its token twice. */
export function signedIn(result: { session: IssuedSession; user: UserView; device?: RememberedDevice }): Reply {
  const { device, ...body } = result;
  if (!device) return { status: 201, body };
  return { status: 201, body: { ...body, deviceToken: device.token }, cookies: [deviceTrustCookie(device)] };
}
