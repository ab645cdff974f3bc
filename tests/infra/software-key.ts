import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

/**
 * A FIDO2 security key in software (ES256, attestation "none"), enough to run the WebAuthn
 * ceremonies against the server without a browser: the permissions check needs each route's
 * successful path, not a browser's behaviour (the e2e tests drive Chromium for that).
 */
export class SoftwareKey {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly credentialId = randomBytes(16);
  counter = 0;

  constructor(private readonly origin: string, private readonly rpId: string) {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" }));
  }

  get id(): string {
    return this.credentialId.toString("base64url");
  }

  /** `navigator.credentials.create()` for PublicKeyCredentialCreationOptionsJSON. */
  register(options: { challenge: string }) {
    const clientDataJSON = this.clientData("webauthn.create", options.challenge);
    const jwk = this.publicKey.export({ format: "jwk" });
    const cose = cbor(new Map<number, unknown>([
      [1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, "base64url")], [-3, Buffer.from(jwk.y!, "base64url")],
    ]));
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([this.rpIdHash(), Buffer.from([0x45]), this.counterBytes(), Buffer.alloc(16), idLength, this.credentialId, cose]);
    const attestationObject = cbor(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    return {
      id: this.id, rawId: this.id, type: "public-key", clientExtensionResults: {}, authenticatorAttachment: "cross-platform",
      response: { clientDataJSON: clientDataJSON.toString("base64url"), attestationObject: attestationObject.toString("base64url"), transports: ["usb"] },
    };
  }

  /** `navigator.credentials.get()` for PublicKeyCredentialRequestOptionsJSON; the counter rises unless told where it stands. */
  authenticate(options: { challenge: string }, counter = ++this.counter) {
    const clientDataJSON = this.clientData("webauthn.get", options.challenge);
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(counter);
    const authenticatorData = Buffer.concat([this.rpIdHash(), Buffer.from([0x05]), counterBytes]);
    const signature = sign("sha256", Buffer.concat([authenticatorData, createHash("sha256").update(clientDataJSON).digest()]), this.privateKey);
    return {
      id: this.id, rawId: this.id, type: "public-key", clientExtensionResults: {}, authenticatorAttachment: "cross-platform",
      response: {
        clientDataJSON: clientDataJSON.toString("base64url"),
        authenticatorData: authenticatorData.toString("base64url"),
        signature: signature.toString("base64url"),
      },
    };
  }

  private clientData(type: string, challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }

  private rpIdHash(): Buffer {
    return createHash("sha256").update(this.rpId).digest();
  }

  private counterBytes(): Buffer {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(this.counter);
    return bytes;
  }
}

/** The CBOR subset WebAuthn needs here (RFC 8949): integers, byte and text strings, maps. */
function cbor(value: unknown): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
    const bytes = Buffer.alloc(3);
    bytes[0] = (major << 5) | 25;
    bytes.writeUInt16BE(length, 1);
    return bytes;
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Map) {
    return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
  }
  throw new Error(`cbor: cannot encode ${typeof value}`);
}
