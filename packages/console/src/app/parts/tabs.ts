import type { ComponentChildren } from "preact";
import { html } from "../html.js";

export interface Tab {
  id: string;
  title: string;
  panel: () => ComponentChildren;
}

/**
 * Tabs as the ARIA pattern has them: a tablist of buttons, the arrow keys, Home and End move along
 * it (and show the tab moved to). Every panel stays rendered, the others `hidden`, so what was typed
 * in one survives a look at the other.
 */
export function Tabs({ label, tabs, selected, onSelect }: { label: string; tabs: Tab[]; selected: string; onSelect: (id: string) => void }) {
  const current = tabs.find((tab) => tab.id === selected) ?? tabs[0]!;
  const move = (event: KeyboardEvent) => {
    const index = tabs.indexOf(current);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length]!;
    onSelect(tab.id);
    document.getElementById(`tab-${tab.id}`)?.focus();
  };
  return html`<div class="tabs">
    <div role="tablist" aria-label=${label} onKeyDown=${move}>
      ${tabs.map((tab) => html`<button type="button" role="tab" id=${`tab-${tab.id}`} aria-controls=${`panel-${tab.id}`}
        aria-selected=${tab === current ? "true" : "false"} tabindex=${tab === current ? 0 : -1} onClick=${() => onSelect(tab.id)}>${tab.title}</button>`)}
    </div>
    ${tabs.map((tab) => html`<div role="tabpanel" id=${`panel-${tab.id}`} aria-labelledby=${`tab-${tab.id}`} class="panel"
      hidden=${tab !== current}>${tab.panel()}</div>`)}
  </div>`;
}
