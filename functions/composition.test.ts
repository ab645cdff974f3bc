import { describe, expect, it } from "vitest";
import { passwords, startFresh } from "./composition.js";
import { argon2idHasher } from "./password-hasher.js";

describe("the composition root", () => {
  it("builds a part once per cold start, and a replacement lasts until the next start", () => {
    const cheap = argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
    startFresh({ passwords: cheap });
    expect(passwords()).toBe(cheap);

    startFresh();
    const deployed = passwords();
    expect(deployed).not.toBe(cheap);
    expect(passwords()).toBe(deployed);
  });
});
