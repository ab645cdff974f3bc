import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { boundUserAgent, requestContext } from "./route.js";

const event = (http: { sourceIp?: string; userAgent?: string }) => ({ requestContext: { http } }) as unknown as APIGatewayProxyEventV2;
const codePoints = (text: string) => [...text].length;

describe("requestContext", () => {
  it("keeps a user agent of 512 characters or fewer as it came", () => {
    const agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    expect(requestContext(event({ sourceIp: "203.0.113.9", userAgent: agent }))).toEqual({ ip: "203.0.113.9", userAgent: agent });
    expect(boundUserAgent("x".repeat(512))).toBe("x".repeat(512));
  });

  it("cuts a longer one to 512 characters (code points), never inside a surrogate pair", () => {
    expect(boundUserAgent("x".repeat(16 * 1024))).toBe("x".repeat(512));
    const emoji = boundUserAgent("😀".repeat(600));
    expect(codePoints(emoji)).toBe(512);
    expect(emoji).toBe("😀".repeat(512));
    const mixed = boundUserAgent(`${"x".repeat(511)}😀😀`);
    expect(mixed).toBe(`${"x".repeat(511)}😀`);
  });

  it("replaces lone surrogates, which no store can encode, with U+FFFD", () => {
    expect(boundUserAgent("a\uD800b\uDC00c")).toBe("a\uFFFDb\uFFFDc");
    expect(boundUserAgent("\uDBFF")).toBe("\uFFFD");
  });

  it("keeps the address only when it is an IP address", () => {
    expect(requestContext(event({ sourceIp: "2001:db8::1" })).ip).toBe("2001:db8::1");
    for (const sourceIp of ["", "not an address", "1.2.3.4, 5.6.7.8", `1.2.3.4${" ".repeat(100)}`, "x".repeat(10_000)]) {
      expect(requestContext(event({ sourceIp })), sourceIp.slice(0, 20)).toEqual({});
    }
  });

  it("leaves out what is missing", () => {
    expect(requestContext(event({}))).toEqual({});
    expect(requestContext({} as APIGatewayProxyEventV2)).toEqual({});
  });
});
