import { describe, expect, it } from "vitest";
import { passwords, startFresh } from "./composition.js";

describe("the deployed password hasher", () => {
  it("hashes with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane) and checks what it hashed", async () => {
    startFresh(); // the deployed choice, not what a local runtime of an earlier file in this worker put in its place
    const hasher = passwords();
    const stored = await hasher.hash("correct horse battery staple");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(stored, "correct horse battery staple")).toBe(true);
    expect(await hasher.verify(stored, "correct horse battery stapler")).toBe(false);
  });
});
