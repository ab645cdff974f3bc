/** A request refused at the edge, before any use case ran (HTTP-level: size, type, syntax, shape). */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = "RequestError";
  }
}
