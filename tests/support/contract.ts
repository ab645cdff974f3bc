import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS whose typings declare an ES default export.
const addFormats = addFormatsModule.default;

type Json = Record<string, any>;

/** A base URI for the document, so that its `#/components/schemas/...` references resolve from any schema compiled here. */
const BASE = "https://contract.twofactor.test/openapi.json";

export interface Answer {
  status: number;
  headers: Headers | Record<string, string | undefined>;
  /** The raw text of the body ("" for none). */
  text: string;
}

/**
 * The served OpenAPI document as a judge of answers: `ajv` (JSON Schema 2020-12, as OpenAPI 3.1
 * uses) with `ajv-formats` checks each answer against the operation's response for its status.
 * An answer the document does not describe — an unlisted status, another media type, a body that
 * does not fit, a 429 without Retry-After — is a failure that says so.
 */
export class Contract {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly operations: { method: string; template: string; pattern: RegExp; operation: Json }[];

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    // The document itself is not a schema: only its components are registered, under the document's URI.
    this.ajv.addVocabulary(["components", "schemas"]);
    this.ajv.addSchema({ $id: BASE, components: { schemas: document.components.schemas } });
    this.operations = Object.entries(document.paths as Record<string, Json>).flatMap(([template, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+")}$`),
        operation: operation as Json,
      })));
  }

  /** Fetches the document a running system serves. */
  static async of(baseUrl: string): Promise<Contract> {
    const res = await fetch(`${baseUrl}/v1/openapi.json`);
    if (res.status !== 200) throw new Error(`GET /v1/openapi.json answered ${res.status}`);
    return new Contract((await res.json()) as Json);
  }

  /** The operation of a request, or undefined for a path or method the API does not have. */
  operation(method: string, path: string): { template: string; operation: Json } | undefined {
    const pathname = new URL(path, "http://localhost").pathname;
    return this.operations.find((op) => op.method === method.toUpperCase() && op.pattern.test(pathname));
  }

  /** The errors of an answer to `method path`; empty when the document describes it. */
  violations(method: string, path: string, answer: Answer): string[] {
    const found = this.operation(method, path);
    const contentType = header(answer.headers, "content-type")?.split(";")[0]?.trim();
    if (!found) {
      // Not an operation: the gateway's own 404 or 405, a problem document all the same.
      if (answer.status !== 404 && answer.status !== 405) return [`${method} ${path} is no operation of the document, yet answered ${answer.status}`];
      if (contentType !== "application/problem+json") return [`${method} ${path}: a ${answer.status} of type ${contentType}`];
      return this.check({ $ref: `${BASE}#/components/schemas/Problem` }, answer.text, `${method} ${path} ${answer.status}`);
    }
    const where = `${method} ${found.template} ${answer.status}`;
    const response = found.operation.responses?.[answer.status];
    if (!response) return [`${where}: the document lists no ${answer.status} for this operation (it lists ${Object.keys(found.operation.responses ?? {}).join(", ")})`];
    const errors: string[] = [];
    for (const [name, spec] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
      if (spec.required && header(answer.headers, name) === undefined) errors.push(`${where}: missing header ${name}`);
    }
    const content = response.content as Record<string, Json> | undefined;
    if (!content) return answer.text === "" ? errors : [...errors, `${where}: the document describes no body, yet one came: ${answer.text.slice(0, 200)}`];
    if (!contentType || !content[contentType]) return [...errors, `${where}: content type ${contentType}, the document lists ${Object.keys(content).join(", ")}`];
    if (contentType === "text/csv") return errors; // text, described as a string: nothing more to check
    return [...errors, ...this.check(content[contentType]!.schema, answer.text, where)];
  }

  /** Throws with every violation, so that the test that received the answer fails and says why. */
  expect(method: string, path: string, answer: Answer): void {
    const errors = this.violations(method, path, answer);
    if (errors.length) throw new Error(`The answer breaks the OpenAPI document:\n  ${errors.join("\n  ")}`);
  }

  /** Whether a value fits a schema of the document (its references into the components resolve). */
  matches(schema: Json, value: unknown): string[] {
    return this.validate(schema, value, "value");
  }

  private check(schema: Json, text: string, where: string): string[] {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${where}: the body is not JSON: ${text.slice(0, 200)}`];
    }
    return this.validate(schema, body, where);
  }

  private validate(schema: Json, value: unknown, where: string): string[] {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      // References in the document are relative to it: anchor them to its URI.
      validate = this.ajv.compile(JSON.parse(key.replaceAll('"#/components/', `"${BASE}#/components/`)) as Json);
      this.validators.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || "(body)"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
  }
}

function header(headers: Answer["headers"], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return found?.[1];
}
