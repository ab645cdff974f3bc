import * as z from "zod";

/** A browser as device trust binds it: the user-agent family and major version. */
export const browser = z.strictObject({ family: z.string().max(64), major: z.string().max(16) });

/** A network as device trust binds it: an IPv4 /24 or IPv6 /48 prefix, or `unknown`. */
export const network = z.string().max(64);
