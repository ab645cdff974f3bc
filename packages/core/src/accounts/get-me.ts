import { loadAccount, type AccountDeps } from "./load-account.js";
import { toUserView, type UserView } from "./user-view.js";

export async function getMe(deps: AccountDeps, userId: string): Promise<UserView> {
  return toUserView(await loadAccount(deps, userId));
}
