import escapeHtml from "escape-html";
import type { Message } from "./messages.js";
import { isoTime } from "./when.js";

/** Where the event came from, as the mail shows it: a network (an address or a prefix) and a browser. */
export interface Where {
  network?: string;
  browser?: string;
}

export interface Rendered {
  text: string;
  html: string;
}

const FOOTER = (service: string) =>
  `${service} security notice: sent because of a change to your account or an invitation to this address. ` +
  "It holds no link and no code; we never ask for your password, codes or recovery codes by mail.";

/** One message in both forms, the same words: plain text, and HTML with every value escaped. */
export function render(message: Message, facts: { service: string; greeting?: string; occurredAt: string; where: Where }): Rendered {
  const rows: [string, string][] = [
    ["When", `${isoTime(facts.occurredAt)} (UTC)`],
    ...(message.showsWhere && facts.where.network ? [["Network", facts.where.network] as [string, string]] : []),
    ...(message.showsWhere && facts.where.browser ? [["Browser", facts.where.browser] as [string, string]] : []),
  ];
  const hello = facts.greeting ? `Hello ${facts.greeting},` : "Hello,";
  const heading = message.ifNotYouHeading ?? "If this was not you";
  const text = [
    hello,
    "",
    ...message.happened.flatMap((paragraph) => [paragraph, ""]),
    ...rows.map(([name, value]) => `${name}: ${value}`),
    "",
    `${heading}: ${message.ifNotYou}`,
    "",
    `-- ${FOOTER(facts.service)}`,
    "",
  ].join("\n");
  const html = [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title></head><body>`,
    `<p>${escapeHtml(hello)}</p>`,
    ...message.happened.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    `<table>${rows.map(([name, value]) => `<tr><th scope="row" align="left">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join("")}</table>`,
    `<p><strong>${escapeHtml(heading)}:</strong> ${escapeHtml(message.ifNotYou)}</p>`,
    `<hr><p><small>${escapeHtml(FOOTER(facts.service))}</small></p>`,
    "</body></html>",
    "",
  ].join("\n");
  return { text, html };
}
