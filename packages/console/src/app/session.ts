
const KEY = "twofactor.session";

export interface StoredSession {
  token: string;
  scope: "full" | "setup";
}

/**
 * The session token lives in memory and in sessionStorage, never in localStorage: sessionStorage
 * belongs to this tab alone and is gone when the tab closes, so a reload keeps the person signed
 * in while nothing outlives the tab or reaches another one. (Memory alone would sign out on every
 * reload.) The device-trust token is never seen by scripts: it is an HttpOnly cookie.
 */
let current: StoredSession | null = read();

export const session = {
  token: (): string | null => current?.token ?? null,
  get: (): StoredSession | null => current,
  set(next: StoredSession): void {
    current = next;
    sessionStorage.setItem(KEY, JSON.stringify(next));
  },
  clear(): void {
    current = null;
    sessionStorage.removeItem(KEY);
  },
};

function read(): StoredSession | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as StoredSession | null;
    return stored && typeof stored.token === "string" ? stored : null;
  } catch {
    return null;
  }
}
