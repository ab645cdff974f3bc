import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { html } from "../html.js";

/** The page's first screen leaves focus at the page's start, where the skip link is; later screens take it. */
let opened = false;

/**
 * A screen's `<h1>`: it names the tab (`document.title`) and takes focus when the screen opens, so
 * that a keyboard or screen-reader user starts at the new screen, not where the last one left off.
 * `focus={false}` for a step that focuses its first field instead.
 */
export function ScreenHeading({ title, id, focus = true, children }: { title: string; id?: string; focus?: boolean; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · TwoFactor`;
  }, [title]);
  useEffect(() => {
    if (focus && opened && !document.querySelector("dialog[open]")) heading.current?.focus();
    opened = true;
  }, []);
  return html`<h1 ref=${heading} id=${id} tabindex="-1">${children ?? title}</h1>`;
}
