import { useEffect, useState } from "preact/hooks";
import { api, seg } from "../api.js";
import { html } from "../html.js";
import type { TrustedDevice, TrustedDevicePage } from "../types.js";
import { useAction } from "../use-action.js";
import { Problem } from "./problem.js";
import { when } from "./when.js";

/** Browsers remembered at sign-in ("remember this device"): what they are, where, when last used; forget one or all. */
export function TrustedDevices() {
  const [devices, setDevices] = useState<TrustedDevice[] | null>(null);
  const action = useAction();
  const reload = async () => {
    const page = await action.run(() => api.get<TrustedDevicePage>("/v1/me/devices?limit=100"));
    if (page) setDevices(page.items);
  };
  useEffect(() => { void reload(); }, []);
  const forget = async (path: string) => {
    if (await action.run(() => api.delete(path))) await reload();
  };

  return html`<section class="card wide" aria-labelledby="devices-title">
    <h2 id="devices-title">Trusted devices</h2>
    <p>These browsers skip the second factor until they change network or browser version, or for 30 days at most.</p>
    <${Problem} error=${action.error} />
    ${devices && devices.length === 0 && html`<p>No trusted devices.</p>`}
    ${devices && devices.length > 0 && html`<table>
      <caption class="visually-hidden">Trusted devices</caption>
      <thead><tr><th scope="col">Device</th><th scope="col">Network</th><th scope="col">Last used</th><th scope="col">Trusted until</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${devices.map((device) => html`<tr key=${device.id}>
        <td>${device.label}</td><td>${device.network}</td><td>${when(device.lastUsedAt ?? device.createdAt)}</td><td>${when(device.expiresAt)}</td>
        <td><button type="button" onClick=${() => forget(`/v1/me/devices/${seg(device.id)}`)} aria-label=${`Forget ${device.label} on ${device.network}`}>Forget</button></td>
      </tr>`)}</tbody>
    </table>
    <button type="button" class="danger" onClick=${() => forget("/v1/me/devices")} disabled=${action.busy}>Forget all devices</button>`}
  </section>`;
}
