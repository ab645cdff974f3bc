import jsqr from "jsqr";

// jsqr is CommonJS whose typings declare an ES default export: the function is both the module and its `default`.
const jsQR = jsqr.default;
import { PNG } from "pngjs";

/**
 * Reads a QR code as a phone's camera app would: `pngjs` decodes the `data:image/png;base64,` URL,
 * `jsqr` (a decoder written by others) finds and reads the code. Answers the text it holds.
 */
export function readQrCode(dataUrl: string): string {
  const match = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
  if (!match) throw new Error(`Not a PNG data URL: ${dataUrl.slice(0, 40)}…`);
  const png = PNG.sync.read(Buffer.from(match[1]!, "base64"));
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height);
  if (!code) throw new Error(`No QR code found in the ${png.width}×${png.height} PNG.`);
  return code.data;
}
