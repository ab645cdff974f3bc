import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { MailNotSentError } from "@twofactor/core";
import { SesMailSender } from "./ses-mail-sender.js";

// Real SES cannot run here; its client is mocked at the SDK boundary (the e2e tests send through it on the local runtime too).
const ses = mockClient(SESv2Client);
beforeEach(() => ses.reset());
afterAll(() => ses.restore());

const raw = Buffer.from("From: TwoFactor <security@example.com>\r\nTo: ada@example.com\r\nSubject: Hi\r\n\r\nHello\r\n");
const envelope = { from: "TwoFactor <security@example.com>", to: "ada@example.com", eventId: "evt-1", at: new Date("2026-01-01T00:00:00Z") };
const sender = () => new SesMailSender(new SESv2Client({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } }), "prod-twofactor-mail");

describe("SesMailSender", () => {
  it("sends the message's bytes as they are (Content.Raw), to the one recipient, through the configuration set", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: "m-1" });
    await sender().send(raw, envelope);
    const [call] = ses.commandCalls(SendEmailCommand);
    expect(call!.args[0].input).toEqual({
      FromEmailAddress: "TwoFactor <security@example.com>",
      Destination: { ToAddresses: ["ada@example.com"] },
      Content: { Raw: { Data: raw } },
      ConfigurationSetName: "prod-twofactor-mail",
    });
  });

  it("says the message was not sent when SES answered with an error (throttled, rejected, failing)", async () => {
    const rejected = Object.assign(new Error("Email address is not verified."), { name: "MessageRejected", $metadata: { httpStatusCode: 400 } });
    ses.on(SendEmailCommand).rejects(rejected);
    const error = await sender().send(raw, envelope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailNotSentError);
    expect((error as Error).cause).toBe(rejected);
  });

  it("leaves the outcome unknown when no answer came (the message may have gone)", async () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    ses.on(SendEmailCommand).rejects(reset);
    await expect(sender().send(raw, envelope)).rejects.toBe(reset);
  });
});
