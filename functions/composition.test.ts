import { afterEach, describe, expect, it, vi } from "vitest";
import { SesMailSender } from "@twofactor/aws";
import type { MailSender } from "@twofactor/core";
import { mailer, passwords, startFresh } from "./composition.js";
import { argon2idHasher } from "./password-hasher.js";

afterEach(() => vi.unstubAllEnvs());

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

  it("mails through SES as deployed, and through what the local runtime gives in its place", () => {
    vi.stubEnv("LOCAL_KEY_FILE", "unused.key");
    vi.stubEnv("AWS_REGION", "us-east-1");
    startFresh();
    expect(mailer()).toBeInstanceOf(SesMailSender);
    expect(mailer()).toBe(mailer());

    const local: MailSender = { send: async () => {} };
    startFresh({ mailer: local });
    expect(mailer()).toBe(local);
    startFresh();
  });
});
