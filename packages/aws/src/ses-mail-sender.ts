import { SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import { MailNotSentError, type MailEnvelope, type MailSender } from "@twofactor/core";

/**
 * Amazon SES v2 `SendEmail` with the message's raw bytes, through the stage's configuration set
 * (its bounces and complaints come back on the bus). The client should not retry (`maxAttempts: 1`):
 * SendEmail is not idempotent, so a retried timeout could deliver twice; the queue retries instead,
 * and only what SES answered with an error is known not to have gone.
 */
export class SesMailSender implements MailSender {
  constructor(private readonly client: SESv2Client, private readonly configurationSet?: string) {}

  async send(raw: Uint8Array, envelope: MailEnvelope): Promise<void> {
    try {
      await this.client.send(new SendEmailCommand({
        FromEmailAddress: envelope.from,
        Destination: { ToAddresses: [envelope.to] },
        Content: { Raw: { Data: raw } },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }));
    } catch (error) {
      // An answer from SES (throttled, rejected, failed) means it did not take the message; no answer means nobody knows.
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode) {
        throw new MailNotSentError("SES did not take the message.", { cause: error });
      }
      throw error;
    }
  }
}
