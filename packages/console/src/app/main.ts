import { render } from "preact";
import { App } from "./app.js";
import { html } from "./html.js";

const root = document.getElementById("console")!;
root.textContent = ""; // the page's "Loading…" (preact 11 renders beside what is there)
render(html`<${App} />`, root);
