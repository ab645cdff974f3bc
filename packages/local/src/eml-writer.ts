import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MailEnvelope, MailSender } from "@twofactor/core";

/**
 * The local mail transport: each message, as the bytes SES would be given, in a file of its own
 * under `dir` (RFC 5322, readable by any mail client), named `<time>-<event id>.eml` so that `ls`
 * lists them in the order they were sent. The time is ISO 8601's basic format (no colons, which
 * some file systems refuse). Written whole or not at all (a temporary file, then a rename).
 */
export class EmlMailWriter implements MailSender {
  constructor(readonly dir: string) {}

  async send(raw: Uint8Array, envelope: MailEnvelope): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const time = envelope.at.toISOString().replace(/[-:]/g, "");
    const name = `${time}-${envelope.eventId.replace(/[^\w-]/g, "_")}.eml`;
    const partial = join(this.dir, `.${name}.partial`);
    await writeFile(partial, raw, { mode: 0o600 });
    await rename(partial, join(this.dir, name));
  }
}
