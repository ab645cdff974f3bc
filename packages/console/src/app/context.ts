import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { User } from "./types.js";

/** A question before a destructive or team-wide action: what happens, and the button that does it. */
export interface ConfirmRequest {
  title: string;
  body: ComponentChildren;
  /** The button's words: the action itself ("Remove key"), never "OK". */
  confirm: string;
  tone?: "danger" | "primary";
}

/** Why a fresh second factor is asked: the dialog says it in its own words. */
export interface ReauthRequest {
  reason?: string;
}

export interface ConsoleContext {
  user: User | null;
  /** Grows after each change made here: the cards showing what a change may affect read again when it does. */
  version: number;
  /** Reads `GET /v1/me` again (after a change, when the page comes back into view, on each navigation). */
  refreshUser(): Promise<void>;
  /** After a change: the user again, and every card that depends on `version`. */
  changed(): Promise<void>;
  /** Asks for a fresh second factor (the API answered `reauthentication_required`); true once proved. */
  reauthenticate(request?: ReauthRequest): Promise<boolean>;
  /** The accessible confirmation dialog; true when the person confirmed. */
  confirm(request: ConfirmRequest): Promise<boolean>;
  /** A new set of recovery codes, shown this once in a dialog that only "I have saved them" closes. */
  showRecoveryCodes(codes: string[], because: "turned_on" | "regenerated"): void;
  /** Back to sign-in, saying why. */
  signedOut(reason?: string): void;
  /** The API refused the session (401): it expired, was signed out elsewhere, or a reset took effect. */
  sessionEnded(): void;
}

export const Console = createContext<ConsoleContext>(null as unknown as ConsoleContext);
export const useConsole = () => useContext(Console);
