import { describe, expect, it } from "vitest";
import { networkOf } from "./network.js";

describe("networkOf", () => {
  it("takes the IPv4 /24 and the IPv6 /48", () => {
    expect(networkOf("203.0.113.77")).toBe("203.0.113.0/24");
    expect(networkOf("127.0.1.1")).toBe("127.0.1.0/24");
    expect(networkOf("2001:db8:abcd:12::1")).toBe("2001:db8:abcd::/48");
    expect(networkOf("::1")).toBe("0:0:0::/48");
  });

  it("reads an IPv4-mapped IPv6 address as its IPv4", () => {
    expect(networkOf("::ffff:198.51.100.9")).toBe("198.51.100.0/24");
  });

  it("answers undefined for no or a garbage address", () => {
    expect(networkOf(undefined)).toBeUndefined();
    expect(networkOf("")).toBeUndefined();
    expect(networkOf("not an ip")).toBeUndefined();
  });
});
