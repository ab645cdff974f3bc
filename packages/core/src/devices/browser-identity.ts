import Bowser from "bowser";
import type { BrowserIdentity } from "../ports.js";

/**
 * What device trust binds a browser to: the user-agent family and major version (parsed by bowser),
 * so a minor update keeps the trust and a new major version or another browser asks again. An
 * absent or unreadable user agent is its own family, `unknown`.
 */
export function browserIdentity(userAgent: string | undefined): BrowserIdentity & { os: string } {
  if (!userAgent?.trim()) return { family: "unknown", major: "", os: "" };
  const parser = Bowser.getParser(userAgent);
  const { name, version } = parser.getBrowser();
  return {
    family: (name ?? "unknown").slice(0, 64),
    major: (version?.split(".")[0] ?? "").slice(0, 16),
    os: (parser.getOSName() ?? "").slice(0, 32),
  };
}

/** "Chrome 130 on Linux": how the device list names a device. */
export function deviceLabel(identity: BrowserIdentity & { os: string }): string {
  const browser = [identity.family === "unknown" ? "Unknown browser" : identity.family, identity.major].filter(Boolean).join(" ");
  return identity.os ? `${browser} on ${identity.os}` : browser;
}
