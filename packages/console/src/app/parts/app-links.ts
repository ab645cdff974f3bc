import { html } from "../html.js";

/** Where to get an authenticator app: plain links (nothing of these sites is loaded here), opening in a new tab so the setup stays. */
const APPS = [
  ["Google Authenticator", "https://support.google.com/accounts/answer/1066447"],
  ["Microsoft Authenticator", "https://www.microsoft.com/security/mobile-authenticator-app"],
  ["1Password", "https://support.1password.com/one-time-passwords/"],
  ["Authy", "https://www.authy.com/download/"],
] as const;

export function AppLinks() {
  return html`<ul class="app-links" aria-label="Authenticator apps">
    ${APPS.map(([name, url]) => html`<li><a href=${url} target="_blank" rel="noopener noreferrer">${name}<span class="visually-hidden"> (opens in a new tab)</span></a></li>`)}
  </ul>`;
}
