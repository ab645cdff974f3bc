import ipaddr from "ipaddr.js";

/**
 * The network a caller is on, as docs/api.md counts it: the IPv4 /24 or IPv6 /48 of its address, written
 * as a CIDR prefix (`203.0.113.0/24`, `2001:db8:1::/48`). An IPv4-mapped IPv6 address counts as the
 * IPv4 it carries. Undefined when there is no parsable address (then no network budget applies).
 */
export function networkOf(ip: string | undefined): string | undefined {
  if (!ip || !ipaddr.isValid(ip)) return undefined;
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") {
    const [a, b, c] = (address as ipaddr.IPv4).octets;
    return `${a}.${b}.${c}.0/24`;
  }
  const parts = (address as ipaddr.IPv6).parts.slice(0, 3).map((part) => part.toString(16));
  return `${parts.join(":")}::/48`;
}
