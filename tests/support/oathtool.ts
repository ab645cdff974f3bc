import { execFileSync } from "node:child_process";

/** oathtool (Debian package `oathtool`): a TOTP/HOTP implementation written by others. */
export function oathtool(args: string[]): string {
  return execFileSync("oathtool", args, { encoding: "utf8" }).trim();
}

/** The code an authenticator app would show for this base32 secret at `at` (default: now). */
export function totpCode(secretBase32: string, at: Date = new Date()): string {
  return oathtool(["--totp", "-b", secretBase32, "--now", `@${Math.floor(at.getTime() / 1000)}`]);
}

export function hasCommand(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
