import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { User } from "./types.js";

export interface ConsoleContext {
  user: User | null;
  /** Reads `GET /v1/me` again (after a factor change, or when the API says the session is held to setup). */
  refreshUser(): Promise<void>;
  /** Asks for a fresh second factor (the API answered `reauthentication_required`); true once proved. */
  reauthenticate(): Promise<boolean>;
  /** Shows a new set of recovery codes, this once, above whatever screen is open. */
  showRecoveryCodes(codes: string[]): void;
  /** The session ended or was refused: back to sign-in, saying why. */
  signedOut(reason?: string): void;
}

export const Console = createContext<ConsoleContext>(null as unknown as ConsoleContext);
export const useConsole = () => useContext(Console);
