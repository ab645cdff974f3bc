import type { Deps, WithPasswords } from "../deps.js";
import { newId } from "../common/tokens.js";
import { normalizeEmail } from "./email.js";
import { toUserView, type UserView } from "./user-view.js";

export async function signUp(
  deps: Pick<Deps, "accounts" | "clock"> & WithPasswords,
  input: { email: string; password: string; name: string },
): Promise<UserView> {
  const profile = {
    id: newId("usr"),
    email: normalizeEmail(input.email),
    name: input.name.trim(),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.accounts.create(profile, await deps.passwords.hash(input.password));
  return toUserView({ profile });
}
