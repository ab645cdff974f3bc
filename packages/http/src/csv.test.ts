import { describe, expect, it } from "vitest";
import { auditCsv, nextLink, wantsCsv } from "./csv.js";

describe("the audit CSV", () => {
  it("quotes what RFC 4180 needs and defuses what a spreadsheet would run as a formula", () => {
    const csv = auditCsv([
      { eventId: "e1", type: "LoginFailed", occurredAt: "2026-01-01T00:00:00.000Z", actor: "usr_a", userAgent: '=HYPERLINK("x"), "quoted"', detail: { stage: "password" } },
    ]);
    const [header, row] = csv.split("\r\n");
    expect(header).toBe("eventId,type,occurredAt,actor,userId,teamId,ip,userAgent,detail");
    expect(row).toBe('e1,LoginFailed,2026-01-01T00:00:00.000Z,usr_a,,,,"\'=HYPERLINK(""x""), ""quoted""","{""stage"":""password""}"');
  });

  it("is chosen by the Accept header and links the next page with the same filters", () => {
    expect(wantsCsv("text/csv")).toBe(true);
    expect(wantsCsv("application/json, text/csv;q=0.5")).toBe(true);
    expect(wantsCsv("application/json")).toBe(false);
    expect(wantsCsv(undefined)).toBe(false);
    expect(nextLink("/v1/teams/t/audit-events", { type: "LoginFailed", limit: 2, cursor: "old" }, "abc"))
      .toBe('</v1/teams/t/audit-events?type=LoginFailed&limit=2&cursor=abc>; rel="next"');
  });
});
