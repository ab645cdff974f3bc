import type { Deps } from "../deps.js";
import { loadAccount } from "./load-account.js";
import { toUserView, type UserView } from "./user-view.js";

export async function getMe(deps: Pick<Deps, "accounts">, userId: string): Promise<UserView> {
  return toUserView(await loadAccount(deps, userId));
}
