import type { Contract } from "./contract.js";

/** A frontend's view of the API: JSON over real sockets. */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A client of the API. Given the served contract, it checks every answer against it before the
 * test sees the answer: one that the OpenAPI document does not describe fails the test.
 */
export function client(baseUrl: string, contract?: Contract) {
  async function call<T = any>(method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    contract?.expect(method, path, { status: res.status, headers: res.headers, text });
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
  return {
    call,
    get: <T = any>(path: string, token?: string) => call<T>("GET", path, { token }),
    post: <T = any>(path: string, body?: unknown, token?: string) => call<T>("POST", path, { body, token }),
    delete: <T = any>(path: string, body?: unknown, token?: string) => call<T>("DELETE", path, { body, token }),
  };
}

export type Client = ReturnType<typeof client>;
