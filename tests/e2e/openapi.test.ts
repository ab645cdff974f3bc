import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { routes, type RouteEntry } from "@twofactor/functions/http/routes";
import { openApiDocument, responses } from "@twofactor/http";
import { enableTotp, PASSWORD, signUpAndLogin, startChallenge, type TestUser } from "../support/flows.js";
import { inSteps, totpCode } from "../support/authenticator.js";
import { rawRequest } from "../support/raw-request.js";
import { useSystem } from "../support/system.js";

/**
 * The served OpenAPI document against the OpenAPI 3.1 schema, routes.ts and the running handlers: one
 * operation per route, the same path parameters, security exactly where a session is required,
 * request schemas that accept and refuse the same samples as the handlers (judged by ajv), and
 * answers that match the response schemas. (Every answer any e2e test receives through its client is
 * checked against this document too: see tests/support/contract.ts.)
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

/** The errors of `value` against a schema of the document, by ajv; empty when it is valid. */
const violations = (schema: Schema, value: unknown): string[] => ctx.contract.matches(schema, value);

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
  it("is a valid OpenAPI 3.1 document, by the official schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("is the one the contract-checking client judges answers by", () => {
    expect(ctx.contract.document).toEqual(doc);
  });

  it("lists only what the server does: no device trust, no setup-scoped session", () => {
    const text = JSON.stringify(doc);
    for (const absent of ["deviceToken", "device_trust", "X-Device-Token", "setup_required", "two_factor_setup_required", "x-session-scope"]) {
      expect(text, absent).not.toContain(absent);
    }
    expect(resolve({ $ref: "#/components/schemas/Session" }).properties.scope).toMatchObject({ const: "full" });
  });

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

  it("documents each route from its routes.ts entry: summary, success statuses with registered schemas, error codes", () => {
    for (const route of routes as readonly RouteEntry[]) {
      const op = operation(route.method, route.path);
      expect(op.summary).toBe(route.summary);
      const successes = Object.keys(op.responses).filter((status) => Number(status) < 400);
      expect(successes, route.path).toEqual(Object.keys(route.responses));
      for (const status of successes) {
        const body = (route.responses as Record<string, { body?: unknown }>)[status]!.body;
        const content = op.responses[status].content;
        if (!body) expect(content, `${route.path} ${status}`).toBeUndefined();
        else expect(content["application/json"].schema.$ref, `${route.path} ${status}`).toMatch(/^#\/components\/schemas\/\w+$/);
      }
      for (const [status, codes] of Object.entries(route.errors ?? {})) {
        expect(op.responses[status].content["application/problem+json"].schema.allOf[1].properties.code.enum).toEqual(expect.arrayContaining([...codes!]));
      }
    }
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
      // No session is ever setup-scoped yet, so no route refuses one.
      expect(op.responses[403]?.content["application/problem+json"].schema.allOf[1].properties.code.enum ?? [], route.path).not.toContain("two_factor_setup_required");
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
      ctx.contract.expect(route.method, path, { status: res.status, headers: { "content-type": res.contentType }, text: res.body });
      const problem = JSON.parse(res.body);
      expect(problem.code).toBe("validation_failed");
      const missing = problem.errors.map((e: { path: string }) => e.path).filter((p: string) => p !== "body").sort();
      const schema = bodySchema(route.method, route.path);
      expect(missing, `${route.method} ${route.path}`).toEqual([...(schema?.required ?? [])].sort());
      if (schema) expect(violations(schema, { x_probe: true }).join("\n")).toMatch(/additional properties.*x_probe/);
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
  it("documents a new route from its routes.ts entry alone", () => {
    const extra: RouteEntry = {
      method: "POST", path: "/v1/widgets/{widgetId}", handler: "functions/http/poke-widget.handler", tag: "Widgets", access: "full",
      summary: "Poke a widget", responses: { 200: { description: "The user, poked.", body: responses.userResponse } }, errors: { 404: ["widget_not_found"] },
    };
    const document = openApiDocument([...routes, extra]);
    const op = (document.paths["/v1/widgets/{widgetId}"] as Record<string, any>).post;
    expect(op).toMatchObject({
      operationId: "pokeWidget", summary: "Poke a widget", tags: ["Widgets"], security: [{ bearerAuth: [] }],
      parameters: [{ name: "widgetId", in: "path", required: true }],
      responses: { 200: { content: { "application/json": { schema: { $ref: "#/components/schemas/UserResponse" } } } } },
    });
    expect(op.responses[404].content["application/problem+json"].schema.allOf[1].properties.code.enum).toEqual(["widget_not_found"]);
    expect(op.responses[401]).toBeDefined();
    expect(document.tags).toContainEqual({ name: "Widgets" });
  });

  it("refuses an answer schema that is not a registered component", () => {
    const extra: RouteEntry = { ...routes[0], path: "/v1/odd", responses: { 200: { description: "x", body: responses.user.shape.securityScore.shape.factors } } };
    expect(() => openApiDocument([extra])).toThrow(/registers as a component/);
  });
});

describe("the contract-checking client", () => {
  it("refuses answers the document does not describe", () => {
    const json = { "content-type": "application/json" };
    const problem = { "content-type": "application/problem+json" };
    const ok = JSON.stringify({ status: "ok" });
    expect(ctx.contract.violations("GET", "/v1/health", { status: 200, headers: json, text: ok })).toEqual([]);
    expect(ctx.contract.violations("GET", "/v1/health", { status: 418, headers: json, text: ok }).join()).toMatch(/lists no 418/);
    expect(ctx.contract.violations("GET", "/v1/health", { status: 200, headers: json, text: JSON.stringify({ status: "ok", extra: 1 }) }).join()).toMatch(/additional properties/);
    expect(ctx.contract.violations("GET", "/v1/health", { status: 200, headers: problem, text: ok }).join()).toMatch(/content type/);
    expect(ctx.contract.violations("POST", "/v1/auth/logout", { status: 204, headers: {}, text: "{}" }).join()).toMatch(/no body/);
    const locked = JSON.stringify({ type: "https://twofactor.dev/problems/too-many-attempts", title: "Too Many Requests", status: 429, detail: "Wait.", code: "too_many_attempts" });
    expect(ctx.contract.violations("POST", "/v1/auth/login", { status: 429, headers: problem, text: locked }).join()).toMatch(/missing header Retry-After/);
    expect(ctx.contract.violations("POST", "/v1/auth/login", { status: 429, headers: { ...problem, "retry-after": "60" }, text: locked })).toEqual([]);
    expect(ctx.contract.violations("POST", "/v1/auth/login", { status: 429, headers: { ...problem, "retry-after": "60" }, text: locked.replace("too_many_attempts\"}", "slow_down\"}") }).join()).toMatch(/allowed values/);
  });
});
