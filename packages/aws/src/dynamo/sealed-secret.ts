/**
 * A sealed TOTP secret (the Encryption SDK's message, base64 to the domain) is stored as binary: a
 * quarter smaller, which keeps a TOTP user's FACTORS item, written twice per login, within one
 * write unit. Items written before hold it as a base64 string; both read alike.
 */
export function toStoredSealed(sealed: string): Uint8Array {
  return Buffer.from(sealed, "base64");
}

export function fromStoredSealed(stored: unknown): string | undefined {
  if (stored instanceof Uint8Array) return Buffer.from(stored).toString("base64");
  return typeof stored === "string" ? stored : undefined;
}

/** A condition that `attribute` holds this sealed secret, in either stored form. */
export function holdsSealed(attribute: string, placeholder: string, sealed: string): { condition: string; values: Record<string, unknown> } {
  return {
    condition: `${attribute} IN (${placeholder}, ${placeholder}Text)`,
    values: { [placeholder]: toStoredSealed(sealed), [`${placeholder}Text`]: sealed },
  };
}
