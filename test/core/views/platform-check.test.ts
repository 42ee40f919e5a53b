// The platform check's reading of what each probe saw, its measured costs in the host's CostModel, and the
// report's plain text: pure functions, so each answer and each edge is pinned here without a spreadsheet.
import { describe, expect, it } from "vitest";
import { COST_MODELS, type CostModel } from "../../../dev/gas-host/index.js";
import {
  apostropheAnswer,
  fetchAllAnswer,
  found,
  notChecked,
  parsingAnswer,
  QUESTIONS,
  refusedWriteAnswer,
  separatorAnswer,
  sessionAnswer,
} from "../../../src/core/views/platform-check.js";
import {
  type MeasuredCostModel,
  measuredCosts,
  TYPICAL_COSTS,
} from "../../../src/core/views/platform-costs.js";
import {
  type PlatformReport,
  platformReportText,
  renderPlatformReport,
} from "../../../src/core/views/platform-report.js";

const code = (answer: ReturnType<typeof apostropheAnswer>) =>
  answer.ok ? answer.value.code : `not: ${answer.reason}`;

describe("answers", () => {
  it("tells a kept apostrophe from a stripped one, and names anything else", () => {
    expect(code(apostropheAnswer("'0012", "'0012"))).toBe("keep");
    expect(code(apostropheAnswer("'0012", "0012"))).toBe("strip");
    expect(code(apostropheAnswer("'0012", 12))).toBe("other");
  });

  it("places a refused write where it threw, and says when nothing refused it", () => {
    const seen = { threwAtWrite: false, threwAtFlush: false, after: "", written: "no" };
    expect(code(refusedWriteAnswer({ ...seen, threwAtWrite: true }))).toBe("at-write");
    expect(code(refusedWriteAnswer({ ...seen, threwAtFlush: true }))).toBe("at-flush");
    expect(code(refusedWriteAnswer({ ...seen, after: "no" }))).toBe("not-refused");
    expect(code(refusedWriteAnswer(seen))).toBe("silent");
  });

  it("reads what each text became by its type, dates included", () => {
    const answer = parsingAnswer([
      { written: "TRUE", readBack: true },
      { written: "12.04.2026", readBack: { date: "2026-04-12" } },
      { written: "1,5", readBack: "1,5" },
    ]);
    expect(code(answer)).toBe("boolean,date,string");
    expect(answer.ok && answer.value.words).toContain('"12.04.2026" became the date 2026-04-12');
  });

  it("finds which separator a formula takes from the value it shows", () => {
    expect(code(separatorAnswer("ok", "#ERROR!", "ok"))).toBe("comma");
    expect(code(separatorAnswer("#ERROR!", "ok", "ok"))).toBe("semicolon");
    expect(code(separatorAnswer("ok", "ok", "ok"))).toBe("both");
    expect(code(separatorAnswer("#ERROR!", "#NAME?", "ok"))).toBe("neither");
  });

  it("never puts the email address in the answer", () => {
    const answer = sessionAnswer("someone@example.com");
    expect(code(answer)).toBe("email");
    expect(JSON.stringify(answer)).not.toContain("someone");
    expect(code(sessionAnswer(""))).toBe("empty");
  });

  it("counts a fetchAll that threw or left a place empty, but not Google's own refusals", () => {
    expect(code(fetchAllAnswer([{ emptySlots: 0 }, { threw: "Address unavailable", emptySlots: 0 }]))).toBe(
      "throws",
    );
    expect(code(fetchAllAnswer([{ emptySlots: 1 }]))).toBe("returns");
    expect(code(fetchAllAnswer([{ emptySlots: 0 }]))).toBe("not-observed");
    const quota = "Service invoked too many times for one day: urlfetch.";
    expect(code(fetchAllAnswer([{ threw: quota, emptySlots: 0 }]))).toBe("not-observed");
  });
});

describe("measured costs", () => {
  it("have the host's CostModel fields, and keep its typical figures where nothing was measured", () => {
    const model: CostModel = measuredCosts({}, "none").model;
    const back: MeasuredCostModel = COST_MODELS.on;
    expect(back).toEqual(TYPICAL_COSTS);
    expect({ ...model, name: "on" }).toEqual(COST_MODELS.on);
    expect(measuredCosts({}, "none").notMeasured).toHaveLength(14 - 1);
  });

  it("take medians, subtract the round trip from a read and the commit from a flush, per cell", () => {
    const costs = measuredCosts(
      {
        roundTrips: [50, 70, 60, 400, 55],
        bigRead: { cells: 1000, ms: 80 },
        queuedWrites: [0.5, 0.5, 0.6],
        smallFlushMs: 40,
        bigFlush: { cells: 1000, ms: 240 },
        propertyGets: [20, 25, 30],
        propertySets: [60, 70],
        lockCalls: [40, 60, 50],
        sleeps: [{ requestedMs: 20, ms: 32 }],
        fetchOneMs: 300,
        fetchMany: { count: 5, ms: 310 },
      },
      "measured",
    );
    expect(costs.model).toEqual({
      name: "measured",
      sheets: { roundTripMs: 60, cellReadMs: 0.02, writeQueueMs: 0.5, commitMs: 40, cellWriteMs: 0.2 },
      properties: { getMs: 25, setMs: 65 },
      lock: { callMs: 50 },
      urlFetch: { callMs: 300, concurrency: 5, jitterMs: 10 },
      sleepOverheadMs: 12,
      executionGapMs: 2000,
    });
    expect(costs.notMeasured).toEqual(["executionGapMs"]);
    expect(costs.concurrencyAtLeast).toBe(true);
  });

  it("find the concurrency from the waves requests sent at once took", () => {
    const costs = measuredCosts({ fetchOneMs: 100, fetchMany: { count: 5, ms: 310 } }, "m");
    expect(costs.model.urlFetch.concurrency).toBe(2);
    expect(costs.concurrencyAtLeast).toBe(false);
    expect(costs.notMeasured).toContain("urlFetch.jitterMs");
  });
});

const report: PlatformReport = {
  checkedAt: "2026-12-02T16:00:00.000Z",
  seconds: 4.2,
  versions: {
    addOn: "0.1.0",
    runtime: "V8",
    locale: "de_DE",
    spreadsheetTimeZone: "Europe/Berlin",
    scriptTimeZone: "Etc/UTC",
  },
  settings: { region: "EU1", workspaceSet: true, rate: 25, keySaved: true, localBaseUrl: false },
  quotaUsedToday: undefined,
  lastJob: found("Kind: Sync (tags: replace); Updated: 3"),
  behaviours: [
    {
      id: "plain-text-apostrophe",
      question: QUESTIONS["plain-text-apostrophe"],
      answer: apostropheAnswer("'1", "1"),
    },
    {
      id: "refused-write",
      question: QUESTIONS["refused-write"],
      answer: notChecked("Service Spreadsheets failed"),
    },
  ],
  requests: found([
    { target: "US1", status: 401, ms: 312.4 },
    { target: "EU1", failure: "Address unavailable", ms: 20 },
  ]),
  costs: measuredCosts({}, "measured"),
  leftoverRemoved: false,
};

describe("the report's text", () => {
  it("says what was found, what could not be checked, and holds the cost model as JSON", () => {
    const text = platformReportText(report);
    expect(text).toContain("Spreadsheet locale: de_DE");
    expect(text).toContain("Workspace ID: set");
    expect(text).toContain("API key: saved");
    expect(text).toContain("Quota used today: not counted");
    expect(text).toContain("removed, as in any other cell [strip]");
    expect(text).toContain("could not be checked: Service Spreadsheets failed");
    expect(text).toContain("US1: HTTP 401 in 312 ms");
    expect(text).toContain("EU1: no answer (Address unavailable) in 20 ms");
    expect(JSON.parse(text.slice(text.indexOf("\n{") + 1))).toEqual(report.costs.model);
    expect(platformReportText({ ...report, quotaUsedToday: 1234 })).toContain(
      "Quota used today: 1234 web requests",
    );
  });

  it("is escaped in the dialog, so server text cannot become markup", () => {
    const page = renderPlatformReport('<img src=x onerror="alert(1)">');
    expect(page).not.toContain("<img");
    expect(page).toContain("&#60;img");
  });
});
