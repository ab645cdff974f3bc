import { session } from "./session.js";

declare const __API_URL__: string;

/**
 * A refusal from the API, as its problem document says it (RFC 9457). People read `code` mapped to
 * words (messages.ts); `detail` is the API's own text, written for developers.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fieldErrors: { path: string; message: string }[] = [],
    /** From `Retry-After` on a 429: how long a lock lasts. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(detail);
  }
}

export interface RequestOptions {
  body?: unknown;
  /** `text/csv` for the audit log's CSV. */
  accept?: string;
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Calls the API as docs/api.md describes it: JSON in and out, the session as a bearer token,
 * cookies included (the device-trust cookie lives on the API's origin, `Path=/v1/auth`).
 */
export async function call<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { accept: options.accept ?? "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`${__API_URL__}${path}`, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: "include",
    });
  } catch {
    throw new ApiError(0, "network_error", "The server could not be reached. Check your connection and try again.");
  }
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return { status: 204, body: undefined as T, headers: response.headers };
  const body = options.accept === "text/csv" ? await response.text() : await response.json();
  return { status: response.status, body: body as T, headers: response.headers };
}

export const api = {
  get: <T>(path: string) => call<T>("GET", path).then((answer) => answer.body),
  post: <T>(path: string, body?: unknown) => call<T>("POST", path, { body }).then((answer) => answer.body),
  put: <T>(path: string, body?: unknown) => call<T>("PUT", path, { body }).then((answer) => answer.body),
  patch: <T>(path: string, body?: unknown) => call<T>("PATCH", path, { body }).then((answer) => answer.body),
  /** Answers true (the API's 204), so that a caller can tell it from a refusal. */
  delete: (path: string, body?: unknown) => call<undefined>("DELETE", path, { body }).then(() => true as const),
};

async function problemOf(response: Response): Promise<ApiError> {
  try {
    const problem = (await response.json()) as { code?: string; detail?: string; errors?: { path: string; message: string }[] };
    const retryAfter = Number.parseInt(response.headers.get("retry-after") ?? "", 10);
    if (typeof problem.detail === "string") {
      return new ApiError(response.status, problem.code ?? "error", problem.detail, problem.errors ?? [], Number.isFinite(retryAfter) ? retryAfter : null);
    }
  } catch {
    // Not a problem document (a proxy's error page): say what happened in words instead.
  }
  return new ApiError(response.status, "unexpected_answer", `The server answered ${response.status} ${response.statusText}. Try again later.`);
}

/** Path segments go through encodeURIComponent: ids are opaque. */
export const seg = encodeURIComponent;
