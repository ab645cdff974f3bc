import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import PostalMime, { type Address } from "postal-mime";

/** One mail as a mail client reads it (postal-mime), with its bytes and the file it came from. */
export interface ReceivedMail {
  file: string;
  raw: string;
  from?: { name: string; address: string };
  /** The recipients' addresses, comma-separated. */
  to: string;
  subject: string;
  date: Date;
  /** The top-level `Content-Type` header, parameters included. */
  contentType: string;
  text: string;
  html: string;
  /** The event it tells of, from its Message-ID (`<eventId@domain>`). */
  eventId: string;
}

const mailboxes = (addresses: Address[] | undefined) => (addresses ?? []).flatMap((a) => (a.group ? a.group : [a]));

/** Parses one RFC 5322 message. */
export async function readMail(bytes: Uint8Array, file = ""): Promise<ReceivedMail> {
  const parsed = await PostalMime.parse(bytes);
  const [from] = mailboxes(parsed.from ? [parsed.from] : []);
  return {
    file,
    raw: Buffer.from(bytes).toString("utf8"),
    ...(from ? { from: { name: from.name, address: from.address } } : {}),
    to: mailboxes(parsed.to).map((mailbox) => mailbox.address).join(","),
    subject: parsed.subject ?? "",
    date: new Date(parsed.date ?? NaN),
    contentType: parsed.headers.find((header) => header.key === "content-type")?.value ?? "",
    text: parsed.text ?? "",
    html: parsed.html ?? "",
    eventId: /^<([^@>]+)@/.exec(parsed.messageId ?? "")?.[1] ?? "",
  };
}

/** Every mail under `dir`, in the order `ls` lists them. */
export async function readMailbox(dir: string): Promise<ReceivedMail[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith(".eml")).sort();
  return Promise.all(files.map(async (file) => readMail(await readFile(join(dir, file)), file)));
}
