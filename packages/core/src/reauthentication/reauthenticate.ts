import type { Deps, RequestContext, WithVault } from "../deps.js";
import type { Session } from "../ports.js";
import { presentedCode } from "../second-factor/code-factor.js";
import { proveForSession } from "./prove-for-session.js";

/** Sudo mode by a typed code: a TOTP code or a recovery code (reauthenticate-with-key.ts has the security key). */
export function reauthenticate(deps: Deps & WithVault, session: Session, code: string, context: RequestContext) {
  return proveForSession(deps, session, (account) => presentedCode(deps, account, code, ["totp", "recovery_code"]), context);
}
