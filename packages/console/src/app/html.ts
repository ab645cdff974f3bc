import htm from "htm";
import { h } from "preact";

/** JSX-like templates without a compile step: htm turns tagged templates into preact elements. */
export const html = htm.bind(h);
