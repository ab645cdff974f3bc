import { describe, expect, it } from "vitest";
import { useSystem } from "../support/system.js";

const ctx = useSystem({ corsOrigins: ["http://localhost:5173"] });

describe("CORS on the local server (as on the HTTP API)", () => {
  it("answers a preflight from an allowed origin, with credentials and no wildcard", async () => {
    const res = await fetch(`${ctx.system.url}/v1/auth/login`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")).toContain("authorization");
  });

  it("marks answers to an allowed origin, and gives nothing to another origin", async () => {
    const allowed = await fetch(`${ctx.system.url}/v1/health`, { headers: { origin: "http://localhost:5173" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const other = await fetch(`${ctx.system.url}/v1/health`, { headers: { origin: "https://evil.example" } });
    expect(other.status).toBe(200);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(`${ctx.system.url}/v1/me`, {
      method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });
});
