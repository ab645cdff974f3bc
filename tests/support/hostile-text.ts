import fc from "fast-check";

/**
 * Text drawn from what breaks display and storage: controls (C0, DEL, C1), bidi overrides and
 * isolates, format characters (zero-width, soft hyphen, BOM, tags), lone surrogates, line and
 * paragraph separators, odd blanks, combining marks and characters NFC changes, astral characters,
 * and runs up to 16 K units long — mixed with ordinary text, so that some of it is accepted.
 */
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const SPECIAL = [
  ...range(0x00, 0x1f), 0x7f, ...range(0x80, 0x9f), // controls
  ...range(0x202a, 0x202e), ...range(0x2066, 0x2069), 0x200e, 0x200f, 0x061c, // bidi
  0x200b, 0x200c, 0x200d, 0x00ad, 0xfeff, 0x2060, 0x180e, 0xfff9, 0xe0001, 0xe0041, // format
  0xd800, 0xdbff, 0xdc00, 0xdfff, // lone surrogates
  0x2028, 0x2029, 0x20, 0x09, 0xa0, 0x3000, 0x2003, // separators and blanks
  0x0301, 0x0308, 0x0327, 0x212b, 0x2126, 0x1e31, // combining marks; Å (angstrom) and Ω (ohm) signs, which NFC replaces
].map((codePoint) => String.fromCodePoint(codePoint));

const unit = fc.oneof(
  { arbitrary: fc.constantFrom(...SPECIAL), weight: 3 },
  { arbitrary: fc.constantFrom("a", "Z", "é", "ß", "😀", "𝔸", "漢", "-", " "), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), weight: 2 },
);

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.array(unit, { maxLength: 80 }).map((units) => units.join("")), weight: 6 },
  { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 70 }), weight: 3 },
  // Around the 64-character bound, with something hostile or astral at the end.
  { arbitrary: fc.tuple(fc.integer({ min: 58, max: 70 }), fc.array(unit, { maxLength: 4 })).map(([n, units]) => "x".repeat(n) + units.join("")), weight: 2 },
  // Long runs: up to 16 K units (a body then exceeds 16 KiB: 413).
  { arbitrary: fc.tuple(unit, fc.integer({ min: 65, max: 16 * 1024 })).map(([u, n]) => u.repeat(n)), weight: 1 },
);

/** What docs/api.md says a stored name is, for this input: NFC, trimmed, 1–64 code points, none forbidden; undefined when refused. */
export function expectedName(input: string): string | undefined {
  const name = input.normalize("NFC").trim();
  const length = [...name].length;
  return length >= 1 && length <= 64 && !/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u.test(name) ? name : undefined;
}

/** What a stored name must look like, whatever the input was. */
export function isBoundedName(name: unknown): boolean {
  return typeof name === "string" && name === name.normalize("NFC") && name === name.trim()
    && [...name].length >= 1 && [...name].length <= 64 && !/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u.test(name);
}

/**
 * User-agent header values as bytes on the wire (HTTP headers are bytes, read back as latin-1): mostly
 * a browser-like prefix and printable or high bytes, sometimes bytes no header may hold (the server
 * refuses those with 400), sometimes 16 KiB or more (431).
 */
export const hostileUserAgent: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: fc.array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })), { minLength: 1, maxLength: 700 })
    .map((bytes) => Buffer.concat([Buffer.from("Mozilla/5.0 "), Buffer.from(bytes)])), weight: 6 },
  { arbitrary: fc.array(fc.integer({ min: 0, max: 0xff }), { minLength: 1, maxLength: 80 }).map((bytes) => Buffer.from(bytes)), weight: 2 },
  // Long, but clear of the 16 KiB header limit by more than the other headers take, either way.
  { arbitrary: fc.tuple(fc.integer({ min: 0x21, max: 0xff }), fc.oneof(fc.integer({ min: 500, max: 15_000 }), fc.integer({ min: 17_500, max: 20_000 })))
    .map(([byte, n]) => Buffer.alloc(n, byte)), weight: 2 },
);
