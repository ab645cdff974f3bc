import { describe, expect, it } from "vitest";
import { sesFeedback } from "../tests/fixtures/ses-feedback.js";
import { parseMailFeedback } from "./mail-feedback.js";

describe("SES's feedback as the mail-feedback consumer reads it", () => {
  it("reads a hard bounce, a soft one and a complaint, with their recipients", () => {
    const hard = sesFeedback("bounced", ["a@example.com", "b@example.com"]);
    expect(parseMailFeedback(hard.detailType, hard.detail)).toMatchObject({ kind: "bounce", permanent: true, addresses: ["a@example.com", "b@example.com"] });
    const soft = sesFeedback("bounced", ["a@example.com"], "Transient");
    expect(parseMailFeedback(soft.detailType, soft.detail)).toMatchObject({ kind: "bounce", permanent: false });
    const complaint = sesFeedback("complaint", ["c@example.com"]);
    expect(parseMailFeedback(complaint.detailType, complaint.detail)).toMatchObject({ kind: "complaint", addresses: ["c@example.com"] });
  });

  it("refuses another detail type, or a detail without recipients", () => {
    const hard = sesFeedback("bounced", ["a@example.com"]);
    expect(() => parseMailFeedback("Email Delivered", hard.detail)).toThrow(/not mail feedback/);
    expect(() => parseMailFeedback(hard.detailType, { ...hard.detail, bounce: { ...hard.detail.bounce, bouncedRecipients: [] } })).toThrow();
  });
});
