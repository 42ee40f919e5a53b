// Unit tests for src/core/views/quota.ts: the Pacific day and its midnight (against Intl's own time zone data,
// across both clock changes), the saved record read with distrust, the account's likely allowance and its words.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accountKindOf,
  addRequests,
  allowanceWords,
  nextPacificMidnight,
  pacificDay,
  pacificOffsetHours,
  parseQuotaRecord,
  quotaView,
  resetSentence,
  usedToday,
} from "../../../src/core/views/quota";

const PACIFIC = new Intl.DateTimeFormat("en-CA", {
  timeZone: "America/Los_Angeles",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const at = (iso: string) => Date.parse(iso);
const midnightAfter = (iso: string) => new Date(nextPacificMidnight(at(iso))).toISOString();

function intlPacific(ms: number): { day: string; time: string } {
  const parts = Object.fromEntries(PACIFIC.formatToParts(ms).map((part) => [part.type, part.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

describe("the Pacific day", () => {
  it("switches to daylight time at 10:00 UTC on the second Sunday of March and back at 09:00 UTC on the first Sunday of November", () => {
    expect(pacificOffsetHours(at("2026-03-08T09:59:59.999Z"))).toBe(-8);
    expect(pacificOffsetHours(at("2026-03-08T10:00:00Z"))).toBe(-7);
    expect(pacificOffsetHours(at("2026-11-01T08:59:59.999Z"))).toBe(-7);
    expect(pacificOffsetHours(at("2026-11-01T09:00:00Z"))).toBe(-8);
  });

  it("starts at midnight Pacific time: 08:00 UTC in winter, 07:00 UTC in summer", () => {
    expect(pacificDay(at("2026-12-02T07:59:59.999Z"))).toBe("2026-12-01");
    expect(pacificDay(at("2026-12-02T08:00:00Z"))).toBe("2026-12-02");
    expect(pacificDay(at("2026-07-02T06:59:59.999Z"))).toBe("2026-07-01");
    expect(pacificDay(at("2026-07-02T07:00:00Z"))).toBe("2026-07-02");
  });

  it("has its next midnight on the night of each clock change where Pacific clocks show 00:00", () => {
    // The day of the change to daylight time is 23 hours long, the day of the change back 25.
    expect(midnightAfter("2026-03-08T08:30:00Z")).toBe("2026-03-09T07:00:00.000Z");
    expect(midnightAfter("2026-03-07T20:00:00Z")).toBe("2026-03-08T08:00:00.000Z");
    expect(midnightAfter("2026-11-01T07:30:00Z")).toBe("2026-11-02T08:00:00.000Z");
    expect(midnightAfter("2026-10-31T20:00:00Z")).toBe("2026-11-01T07:00:00.000Z");
    expect(midnightAfter("2026-12-31T23:00:00Z")).toBe("2027-01-01T08:00:00.000Z");
  });

  it("agrees with Intl's time zone data at any moment from 2007 to 2099", () => {
    fc.assert(
      fc.property(fc.integer({ min: at("2007-03-01T00:00:00Z"), max: at("2099-12-01T00:00:00Z") }), (ms) => {
        expect(pacificDay(ms)).toBe(intlPacific(ms).day);
        const midnight = nextPacificMidnight(ms);
        expect(midnight).toBeGreaterThan(ms);
        expect(midnight - ms).toBeLessThanOrEqual(25 * 3_600_000);
        expect(intlPacific(midnight)).toEqual({ day: pacificDay(midnight), time: "00:00" });
        expect(pacificDay(midnight - 1)).toBe(pacificDay(ms));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("the saved count", () => {
  it("counts today's requests and starts again on a new Pacific day", () => {
    const morning = at("2026-12-02T17:00:00Z");
    const first = addRequests(undefined, 120, morning);
    expect(first).toEqual({ day: "2026-12-02", used: 120 });
    const later = addRequests(first, 30, morning + 3_600_000);
    expect(usedToday(later, morning + 3_600_000)).toBe(150);
    const nextDay = at("2026-12-03T08:00:00Z");
    expect(usedToday(later, nextDay - 1)).toBe(150);
    expect(usedToday(later, nextDay)).toBe(0);
    expect(addRequests(later, 5, nextDay)).toEqual({ day: "2026-12-03", used: 5 });
  });

  it("reads a record that is missing, broken or hostile as no record", () => {
    for (const text of [
      null,
      undefined,
      "",
      "not json",
      "null",
      "[]",
      '{"day":"2026-12-02"}',
      '{"day":"2026-12-02","used":-1}',
      '{"day":"2026-12-02","used":1.5}',
      '{"day":"2026-12-02","used":"12"}',
      '{"day":"yesterday","used":3}',
      `{"day":"2026-12-02","used":3,"x":"${"a".repeat(60_000)}"}`,
      `${"[".repeat(5_000)}`,
    ])
      expect(parseQuotaRecord(text)).toBeUndefined();
    expect(parseQuotaRecord('{"day":"2026-12-02","used":42}')).toEqual({ day: "2026-12-02", used: 42 });
  });
});

describe("the account and its allowance", () => {
  it("knows a gmail.com or googlemail.com account is a consumer one; another domain only probably Workspace", () => {
    expect(accountKindOf("ana@gmail.com")).toBe("consumer");
    expect(accountKindOf("Ana@GoogleMail.com ")).toBe("consumer");
    expect(accountKindOf("ana@acme.example")).toBe("probably-workspace");
    expect(accountKindOf("")).toBe("unknown");
    expect(accountKindOf("not an address")).toBe("unknown");
  });

  it("words one figure when the account is known and both otherwise, and plans with 20,000 in every case", () => {
    expect(allowanceWords("consumer")).toBe("20,000");
    expect(allowanceWords("unknown")).toBe("20,000 (or 100,000 on Google Workspace)");
    expect(allowanceWords("probably-workspace")).toBe(
      "20,000 (100,000 if your account is Google Workspace, as its address suggests)",
    );
    expect(quotaView(1_234, "consumer")).toEqual({
      used: 1_234,
      left: 18_766,
      account: "consumer",
      line: "Web requests used by Extend Sync today: 1,234 of 20,000.",
    });
    expect(quotaView(25_000, "probably-workspace").left).toBe(0);
  });

  it("says when the allowance resets, allowing for both of Google's readings", () => {
    expect(resetSentence("09:00 Europe/Berlin")).toBe(
      "Google's daily allowance of web requests resets at 09:00 Europe/Berlin (midnight Pacific time), or, as Google's documentation puts it, 24 hours after your first request of the day.",
    );
  });
});
