import { beforeAll, describe, expect, it } from "vitest";
import { routes } from "@twofactor/functions/http/routes";
import { openApiDocument, routeDocs } from "@twofactor/http";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge, type TestUser } from "../support/flows.js";
import { inSteps, totpCode } from "../support/authenticator.js";
import { rawRequest } from "../support/raw-request.js";
import { useSystem } from "../support/system.js";

/**
 * The served OpenAPI document against routes.ts and against the running handlers: one operation per
 * route, the same path parameters, security exactly where a session is required, request schemas
 * that accept and refuse the same samples as the handlers, and answers that match the response schemas.
 */
const ctx = useSystem();
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
type Schema = Record<string, any>;
let doc: any;
let user: TestUser;

beforeAll(async () => {
  const res = await ctx.api.get("/v1/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/json");
  doc = res.body;
  user = await signUpAndLogin(ctx.api);
});

const operation = (method: string, path: string) => doc.paths[path]?.[method.toLowerCase()];
const resolve = (schema: Schema): Schema => (schema.$ref ? resolve(doc.components.schemas[schema.$ref.replace("#/components/schemas/", "")]) : schema);
const bodySchema = (method: string, path: string): Schema | undefined => {
  const body = operation(method, path)?.requestBody?.content?.["application/json"]?.schema;
  return body && resolve(body);
};

/**
 * The JSON Schema keywords the document uses, enough to validate samples (no validator is installed):
 * the errors found, empty when `value` is valid.
 */
function violations(schema: Schema, value: unknown, at = "$"): string[] {
  if (schema.$ref) return violations(resolve(schema), value, at);
  if (schema.allOf) return schema.allOf.flatMap((s: Schema) => violations(s, value, at));
  if (schema.anyOf && !schema.anyOf.some((s: Schema) => violations(s, value, at).length === 0)) return [`${at}: no anyOf branch`];
  if (schema.oneOf && schema.oneOf.filter((s: Schema) => violations(s, value, at).length === 0).length !== 1) return [`${at}: not exactly one oneOf branch`];
  if ("const" in schema && value !== schema.const) return [`${at}: not ${JSON.stringify(schema.const)}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: not in enum`];
  const types: string[] | undefined = schema.type === undefined ? undefined : [schema.type].flat();
  const typeOf = value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
  if (types && !types.includes(typeOf) && !(typeOf === "integer" && types.includes("number"))) return [`${at}: ${typeOf} is not ${types.join("|")}`];
  const errors: string[] = [];
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => errors.push(...violations(schema.items, item, `${at}[${i}]`)));
  }
  if (typeOf === "object") {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) errors.push(`${at}.${key}: missing`);
    for (const [key, field] of Object.entries(object)) {
      const property = schema.properties?.[key];
      if (property) errors.push(...violations(property, field, `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}.${key}: not allowed`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === "object") errors.push(...violations(schema.additionalProperties, field, `${at}.${key}`));
    }
  }
  return errors;
}

/** The success answer's schema of an operation, for a status. */
function responseSchema(method: string, path: string, status: number): Schema {
  const schema = operation(method, path)?.responses?.[status]?.content?.["application/json"]?.schema;
  expect(schema, `${method} ${path} ${status}`).toBeDefined();
  return schema;
}

function expectMatches(method: string, path: string, res: { status: number; body: unknown }) {
  expect(violations(responseSchema(method, path, res.status), res.body), JSON.stringify(res.body)).toEqual([]);
}

describe("the served document", () => {
  it("is OpenAPI 3.1 with the local server and a bearer scheme", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([expect.objectContaining({ url: "http://localhost:3000" })]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("has exactly one operation per route of routes.ts, and no other", () => {
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, item]) => Object.keys(item).filter((key) => METHODS.includes(key)).map((method) => `${method.toUpperCase()} ${path}`));
    const listed = routes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(listed).size).toBe(listed.length);
    expect(documented.sort()).toEqual([...listed].sort());
    const ids = documented.map((key) => { const [method, path] = key.split(" "); return operation(method!, path!).operationId; });
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("describes every route in its table, and nothing that is not a route", () => {
    const listed = new Set(routes.map((route) => `${route.method} ${route.path}`));
    expect(Object.keys(routeDocs).filter((key) => !listed.has(key))).toEqual([]);
    expect([...listed].filter((key) => !(key in routeDocs))).toEqual([]);
  });

  it("declares the path parameters of each route exactly as routes.ts names them", () => {
    for (const route of routes) {
      const expected = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      const parameters = (operation(route.method, route.path).parameters ?? []).filter((p: Schema) => p.in === "path");
      expect(parameters.map((p: Schema) => p.name), route.path).toEqual(expected);
      for (const parameter of parameters) expect(parameter.required).toBe(true);
    }
  });

  it("declares security on exactly the routes that refuse a call without a session", async () => {
    for (const route of routes) {
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => `probe-${name}`);
      const res = await ctx.api.call(route.method, path);
      const refused = res.status === 401 && res.body.code === "unauthenticated";
      const op = operation(route.method, route.path);
      expect(op.security ?? [], `${route.method} ${route.path} answered ${res.status}`).toEqual(refused ? [{ bearerAuth: [] }] : []);
      if (refused) expect(op.responses[401].content["application/problem+json"].schema.allOf[1].properties.code.enum).toContain("unauthenticated");
    }
  });

  it("lists the error codes as problem documents, with Retry-After on 429 and a 503 everywhere", () => {
    for (const route of routes) {
      const op = operation(route.method, route.path);
      for (const [status, response] of Object.entries(op.responses as Record<string, Schema>)) {
        if (Number(status) < 400) continue;
        expect(Object.keys(response.content), `${route.path} ${status}`).toEqual(["application/problem+json"]);
        expect(response.content["application/problem+json"].schema.allOf[0]).toEqual({ $ref: "#/components/schemas/Problem" });
        if (status === "429") expect(response.headers["Retry-After"]).toMatchObject({ required: true, schema: { type: "integer" } });
      }
      expect(op.responses[503], route.path).toBeDefined();
      expect(op.responses[400].content["application/problem+json"].schema.allOf[1].properties.code.enum).toEqual(expect.arrayContaining(["malformed_json", "validation_failed"]));
      if (op.security && routeDocs[`${route.method} ${route.path}`]?.access === "full") {
        expect(op.responses[403].content["application/problem+json"].schema.allOf[1].properties.code.enum).toEqual(["two_factor_setup_required"]);
      }
    }
    for (const path of ["/v1/auth/challenges/{challengeId}/totp", "/v1/auth/challenges/{challengeId}/recovery-code", "/v1/auth/challenges/{challengeId}/webauthn", "/v1/auth/challenges/{challengeId}/webauthn/options", "/v1/me/totp/activate", "/v1/me/recovery-codes", "/v1/auth/login"]) {
      expect(operation("POST", path).responses[429], path).toBeDefined();
    }
    expect(operation("DELETE", "/v1/me/totp").responses[429]).toBeDefined();
  });
});

describe("request bodies", () => {
  it("require what the handlers require: an object with an unknown field names the same missing fields", async () => {
    for (const route of routes) {
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => `probe-${name}`);
      const res = await rawRequest(ctx.system.url + path, route.method, JSON.stringify({ x_probe: true }), {
        authorization: `Bearer ${user.token}`, "content-type": "application/json",
      });
      expect(res.status, `${route.method} ${route.path}`).toBe(400);
      const problem = JSON.parse(res.body);
      expect(problem.code).toBe("validation_failed");
      const missing = problem.errors.map((e: { path: string }) => e.path).filter((p: string) => p !== "body").sort();
      const schema = bodySchema(route.method, route.path);
      expect(missing, `${route.method} ${route.path}`).toEqual([...(schema?.required ?? [])].sort());
      if (schema) expect(violations(schema, { x_probe: true })).toContain("$.x_probe: not allowed");
      expect(operation(route.method, route.path).requestBody?.required ?? true).toBe(true);
    }
  });

  it("are strict objects, generated from the zod schemas: additionalProperties false, bounded strings", () => {
    for (const route of routes) {
      const schema = bodySchema(route.method, route.path);
      if (!schema) continue;
      expect(schema.type).toBe("object");
      expect(schema.additionalProperties, route.path).toBe(false);
      expect(schema.$schema).toBeUndefined();
    }
    expect(bodySchema("POST", "/v1/users")).toMatchObject({ required: ["email", "password", "name"], properties: { password: { minLength: 12 } } });
    for (const path of ["/v1/auth/challenges/{challengeId}/totp", "/v1/me/totp/activate"]) {
      expect(bodySchema("POST", path)!.properties.code.pattern).toBe("^\\d{6}$");
    }
  });

  const probeChallenge = "/v1/auth/challenges/probe-challenge";
  const credential = { id: "AAAA", rawId: "AAAA", type: "public-key", clientExtensionResults: {} };
  const samples: { method: string; route: string; path?: string; body: unknown; valid: boolean }[] = [
    { method: "POST", route: "/v1/users", body: { email: "eleven@example.com", password: "elevenchars", name: "E" }, valid: false },
    { method: "POST", route: "/v1/users", body: { email: "twelve@example.com", password: "twelve chars", name: "T" }, valid: true },
    { method: "POST", route: "/v1/users", body: { email: "noname@example.com", password: PASSWORD }, valid: false },
    { method: "POST", route: "/v1/users", body: { email: "empty@example.com", password: PASSWORD, name: "" }, valid: false },
    { method: "POST", route: "/v1/auth/login", body: { email: "nobody@example.com", password: "x" }, valid: true },
    { method: "POST", route: "/v1/auth/login", body: { email: "nobody@example.com", password: "" }, valid: false },
    { method: "POST", route: "/v1/auth/login", body: { email: "nobody@example.com", password: "x", remember: true }, valid: false },
    ...["123456", "000000"].map((code) => ({ method: "POST", route: "/v1/auth/challenges/{challengeId}/totp", path: `${probeChallenge}/totp`, body: { code, rememberDevice: true }, valid: true })),
    ...["12345", "1234567", "12345a", ""].map((code) => ({ method: "POST", route: "/v1/auth/challenges/{challengeId}/totp", path: `${probeChallenge}/totp`, body: { code }, valid: false })),
    { method: "POST", route: "/v1/auth/challenges/{challengeId}/totp", path: `${probeChallenge}/totp`, body: { code: "123456", rememberDevice: "yes" }, valid: false },
    { method: "POST", route: "/v1/auth/challenges/{challengeId}/recovery-code", path: `${probeChallenge}/recovery-code`, body: { code: "abcde-fghjk" }, valid: true },
    { method: "POST", route: "/v1/auth/challenges/{challengeId}/recovery-code", path: `${probeChallenge}/recovery-code`, body: { code: "" }, valid: false },
    { method: "POST", route: "/v1/auth/challenges/{challengeId}/recovery-code", path: `${probeChallenge}/recovery-code`, body: { code: "x".repeat(65) }, valid: false },
    { method: "POST", route: "/v1/auth/challenges/{challengeId}/webauthn", path: `${probeChallenge}/webauthn`, body: { response: { ...credential, response: { clientDataJSON: "AAAA", authenticatorData: "AAAA", signature: "AAAA", userHandle: null } } }, valid: true },
    { method: "POST", route: "/v1/auth/challenges/{challengeId}/webauthn", path: `${probeChallenge}/webauthn`, body: { response: { ...credential, response: { clientDataJSON: "AAAA", authenticatorData: "AAAA" } } }, valid: false },
    { method: "POST", route: "/v1/auth/challenges/{challengeId}/webauthn", path: `${probeChallenge}/webauthn`, body: { response: { ...credential, id: "not base64url!", response: { clientDataJSON: "AAAA", authenticatorData: "AAAA", signature: "AAAA" } } }, valid: false },
    { method: "POST", route: "/v1/me/totp/activate", body: { code: "123456" }, valid: true },
    { method: "POST", route: "/v1/me/totp/activate", body: { code: "123 456" }, valid: false },
    { method: "DELETE", route: "/v1/me/totp", body: { code: "abcde-fghjk" }, valid: true },
    { method: "DELETE", route: "/v1/me/totp", body: {}, valid: false },
    { method: "POST", route: "/v1/me/recovery-codes", body: { code: "123456" }, valid: true },
    { method: "POST", route: "/v1/me/recovery-codes", body: { code: "123456", again: "123456" }, valid: false },
    { method: "POST", route: "/v1/me/security-keys", body: { name: "Yubi", response: { ...credential, response: { clientDataJSON: "AAAA", attestationObject: "AAAA", transports: ["usb"] } } }, valid: true },
    { method: "POST", route: "/v1/me/security-keys", body: { name: "Yubi", response: { ...credential, type: "password", response: { clientDataJSON: "AAAA", attestationObject: "AAAA" } } }, valid: false },
    { method: "POST", route: "/v1/me/security-keys", body: { name: "x".repeat(65), response: { ...credential, response: { clientDataJSON: "AAAA", attestationObject: "AAAA" } } }, valid: false },
    { method: "PATCH", route: "/v1/me/security-keys/{keyId}", path: "/v1/me/security-keys/probe-key", body: { name: "Backup key" }, valid: true },
    { method: "PATCH", route: "/v1/me/security-keys/{keyId}", path: "/v1/me/security-keys/probe-key", body: { name: "" }, valid: false },
  ];

  it.each(samples.map((sample) => ({ ...sample, label: JSON.stringify(sample.body).slice(0, 60) })))(
    "$method $route $label: valid=$valid by the document and by the handler",
    async ({ method, route, path, body, valid }) => {
      const schema = bodySchema(method, route);
      expect(schema).toBeDefined();
      expect(violations(schema!, body).length === 0, violations(schema!, body).join("; ")).toBe(valid);
      const res = await ctx.api.call(method, path ?? route, { body, token: user.token });
      expect(res.status === 400 && res.body.code === "validation_failed", JSON.stringify(res.body)).toBe(!valid);
      expect(res.status).toBeLessThan(500);
    },
  );

  it("list query parameters accept and refuse the same limits as the handler", async () => {
    const parameters = operation("GET", "/v1/me/security-events").parameters as Schema[];
    expect(parameters.map((p) => [p.name, p.in, p.required])).toEqual([["limit", "query", false], ["cursor", "query", false]]);
    const limit = parameters[0]!.schema;
    for (const value of [0, 1, 50, 100, 101, 2.5]) {
      const res = await ctx.api.get(`/v1/me/security-events?limit=${value}`, user.token);
      expect(res.status === 400, `limit=${value}`).toBe(violations(limit, value).length > 0);
    }
  });
});

describe("success answers match the response schemas", () => {
  it("from sign-up to a second-factor login, and the user's lists", async () => {
    const email = `schema-${Date.now()}@example.com`;
    expectMatches("GET", "/v1/health", await ctx.api.get("/v1/health"));
    expectMatches("POST", "/v1/users", await ctx.api.post("/v1/users", { email, password: PASSWORD, name: "Schema" }));
    const login = await ctx.api.post("/v1/auth/login", { email, password: PASSWORD });
    expect(login.status).toBe(201);
    expectMatches("POST", "/v1/auth/login", login);
    const me: TestUser = { id: login.body.user.id, email, token: login.body.session.token };
    expectMatches("GET", "/v1/me", await ctx.api.get("/v1/me", me.token));
    expectMatches("POST", "/v1/me/security-keys/options", await ctx.api.post("/v1/me/security-keys/options", undefined, me.token));
    expectMatches("GET", "/v1/me/security-keys", await ctx.api.get("/v1/me/security-keys", me.token));

    const enrollment = await ctx.api.post("/v1/me/totp", undefined, me.token);
    expect(enrollment.status).toBe(201);
    expectMatches("POST", "/v1/me/totp", enrollment);
    const activation = await ctx.api.post("/v1/me/totp/activate", { code: totpCode(enrollment.body.secret, inSteps(-1)) }, me.token);
    expect(activation.status).toBe(200);
    expectMatches("POST", "/v1/me/totp/activate", activation);

    const challenge = await ctx.api.post("/v1/auth/login", { email, password: PASSWORD });
    expect(challenge.status).toBe(200);
    expectMatches("POST", "/v1/auth/login", challenge);
    const signedIn = await ctx.api.post(`/v1/auth/challenges/${challenge.body.challenge.id}/totp`, { code: totpCode(enrollment.body.secret) });
    expect(signedIn.status).toBe(201);
    expectMatches("POST", "/v1/auth/challenges/{challengeId}/totp", signedIn);
    expectMatches("GET", "/v1/me", await ctx.api.get("/v1/me", signedIn.body.session.token));

    await ctx.system.bus.idle();
    const events = await ctx.api.get("/v1/me/security-events?limit=5", signedIn.body.session.token);
    expect(events.body.items.length).toBeGreaterThan(0);
    expectMatches("GET", "/v1/me/security-events", events);
    expectMatches("GET", "/v1/openapi.json", await ctx.api.get("/v1/openapi.json"));
  });

  it("a recovery code login and regenerated codes", async () => {
    const other = await signUpAndLogin(ctx.api, "Codes");
    const { secret, recoveryCodes } = await enableTotp(ctx.api, other);
    const challengeId = await startChallenge(ctx.api, other);
    const signedIn = await ctx.api.post(`/v1/auth/challenges/${challengeId}/recovery-code`, { code: recoveryCodes[0] });
    expect(signedIn.status).toBe(201);
    expectMatches("POST", "/v1/auth/challenges/{challengeId}/recovery-code", signedIn);
    const regenerated = await ctx.api.post("/v1/me/recovery-codes", { code: totpCode(secret) }, signedIn.body.session.token);
    expect(regenerated.status).toBe(200);
    expectMatches("POST", "/v1/me/recovery-codes", regenerated);
  });

  it("problem documents match the Problem schema", async () => {
    const res = await ctx.api.post("/v1/users", { email: "p@example.com", password: "short", name: "P" });
    expect(violations({ $ref: "#/components/schemas/Problem" }, res.body)).toEqual([]);
    const unauthenticated = await ctx.api.get("/v1/me");
    expect(violations(operation("GET", "/v1/me").responses[401].content["application/problem+json"].schema, unauthenticated.body)).toEqual([]);
  });
});

describe("openApiDocument", () => {
  it("still lists a route that its table does not describe, with a generic description", () => {
    const extra = { method: "POST" as const, path: "/v1/widgets/{widgetId}", handler: "functions/http/poke-widget.handler" };
    const document = openApiDocument([...routes, extra]);
    const op = (document.paths["/v1/widgets/{widgetId}"] as Record<string, any>).post;
    expect(op).toMatchObject({ operationId: "pokeWidget", description: "Not documented yet.", parameters: [{ name: "widgetId", in: "path", required: true }] });
    expect(op.responses.default).toBeDefined();
    expect(Object.keys(document.paths)).toHaveLength(new Set([...routes.map((r) => r.path), extra.path]).size);
  });
});
