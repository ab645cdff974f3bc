import QRCode from "qrcode";

/** The enrollment URI as a PNG data URL for the authenticator app to scan: presentation, so drawn at the HTTP edge. */
export function qrCodeDataUrl(otpauthUri: string): Promise<string> {
  return QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: "M" });
}
