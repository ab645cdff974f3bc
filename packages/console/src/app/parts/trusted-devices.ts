import { useEffect, useRef, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { useConsole } from "../context.js";
import { html } from "../html.js";
import type { TrustedDevice, TrustedDevicePage } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { when } from "./when.js";

/**
 * Browsers remembered at sign-in ("remember this device"): what they are, where, when last used;
 * forget one or all. Read again after every change: a factor change forgets them all.
 */
export function TrustedDevices() {
  const app = useConsole();
  const [devices, setDevices] = useState<TrustedDevice[] | null>(null);
  const action = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  const reload = async () => {
    const page = await action.read(() => api.get<TrustedDevicePage>("/v1/me/devices?limit=100"));
    if (page) setDevices(page.items);
  };
  useEffect(() => { void reload(); }, [app.version]);

  const forget = async (path: string, title: string, body: string, confirm: string) => {
    if (!(await app.confirm({ title, body, confirm }))) return;
    if (!(await action.run(() => api.delete(path)))) return;
    heading.current?.focus();
    await reload();
  };
  const forgetOne = (device: TrustedDevice) => forget(`/v1/me/devices/${seg(device.id)}`, `Forget ${device.label}?`,
    `The next sign-in from ${device.label} on ${device.network} asks for your second factor again.`, "Forget device");
  const forgetAll = () => forget("/v1/me/devices", "Forget all devices?",
    "Every browser asks for your second factor at its next sign-in, this one included.", "Forget all devices");

  return html`<section class="card" aria-labelledby="devices-title">
    <h2 id="devices-title" ref=${heading} tabindex="-1">Trusted devices</h2>
    <p>These browsers skip the second factor until they change network or browser version, or for 30 days at most.</p>
    <${Problem} error=${action.error} />
    ${devices && devices.length === 0 && html`<p>No trusted devices.</p>`}
    ${devices && devices.length > 0 && html`<table class="stack">
      <caption class="visually-hidden">Trusted devices</caption>
      <thead><tr><th scope="col">Device</th><th scope="col">Network</th><th scope="col">Last used</th><th scope="col">Trusted until</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${devices.map((device) => html`<tr key=${device.id}>
        <td data-label="Device">${device.label}</td><td data-label="Network">${device.network}</td>
        <td data-label="Last used">${when(device.lastUsedAt ?? device.createdAt)}</td><td data-label="Trusted until">${when(device.expiresAt)}</td>
        <td><button type="button" onClick=${() => forgetOne(device)} aria-disabled=${action.busy} aria-label=${`Forget ${device.label} on ${device.network}`}>Forget</button></td>
      </tr>`)}</tbody>
    </table>
    <button type="button" class="danger" onClick=${forgetAll} aria-disabled=${action.busy}>Forget all devices</button>`}
  </section>`;
}
