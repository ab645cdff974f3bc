import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundle } from "../../bench/bundles.js";

/**
 * Each function's bundle holds only what its use case needs: built as the stacks build them
 * (infra/bundling.ts, SST's esbuild), then read from esbuild's metafile — what went into the bundle,
 * and which external imports it keeps (the argon2 addon stays external, so it shows as an import).
 */
const HEAVY = ["@aws-sdk", "@aws-crypto", "@simplewebauthn", "@node-rs/argon2"] as const;
const BUILT = ["health", "login", "challenge-totp", "challenge-recovery-code", "reauthenticate"] as const;

let outDir: string;
const packages = new Map<string, Set<string>>();

/**
 * Every package a bundle holds code of or imports, by name (`@aws-sdk/client-dynamodb`, `@node-rs/argon2`, …).
 * From the output, not the inputs: esbuild lists as inputs what it read, tree-shaken files included.
 */
function packagesOf(metafile: Metafile): Set<string> {
  const names = new Set<string>();
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint)!;
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
    if (name && bytesInOutput > 0) names.add(name);
  }
  for (const imported of output.imports) if (imported.external) names.add(imported.path);
  return names;
}

const holds = (route: string, prefix: string) => [...packages.get(route)!].some((name) => name === prefix || name.startsWith(`${prefix}/`));
const heavyIn = (route: string) => HEAVY.filter((prefix) => holds(route, prefix));

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), "twofactor-bundles-test-"));
  for (const route of BUILT) {
    const { metafile } = await buildBundle(`functions/http/${route}.handler`, outDir);
    packages.set(route, packagesOf(metafile));
  }
}, 120_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe("function bundles", () => {
  it("health holds no AWS client, Encryption SDK, WebAuthn library or argon2", () => {
    expect(heavyIn("health")).toEqual([]);
  });

  it("login holds argon2 and the store's client, but no Encryption SDK and no WebAuthn library", () => {
    expect(heavyIn("login")).toEqual(["@aws-sdk", "@node-rs/argon2"]);
  });

  it("the TOTP challenge holds the Encryption SDK, but no argon2 and no WebAuthn library", () => {
    expect(heavyIn("challenge-totp")).toEqual(["@aws-sdk", "@aws-crypto"]);
  });

  it("the recovery-code challenge and code reauthentication hold no WebAuthn library; the recovery code no Encryption SDK either", () => {
    expect(heavyIn("challenge-recovery-code")).toEqual(["@aws-sdk"]);
    expect(heavyIn("reauthenticate")).toEqual(["@aws-sdk", "@aws-crypto"]);
  });
});
