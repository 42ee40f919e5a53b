// Unit tests for src/core/outcome.ts: output cells per outcome, text never evaluated, kept columns, state cell.
import { describe, expect, it } from "vitest";
import type { SyncError } from "../../src/core/classify";
import { describeError } from "../../src/core/messages";
import {
  asText,
  type OutputValues,
  outputValuesFor,
  RESULT_TEXT,
  type RowOutcome,
} from "../../src/core/outcome";

const SYNCED = new Date(Date.UTC(2026, 1, 9, 10, 0, 0));
const EARLIER = new Date(Date.UTC(2026, 0, 1, 9, 0, 0));
const LINK = "https://dashboard.extend.ai/workflows/runs/workflow_run_1";

const PREVIOUS: OutputValues = {
  result: "Failed",
  status: "PROCESSING",
  syncedAt: EARLIER,
  error: "old error",
  link: LINK,
  state: "v1 sent=oldprint pending=job1",
};

const updated = (extra: Partial<Extract<RowOutcome, { kind: "updated" }>> = {}): RowOutcome => ({
  kind: "updated",
  runStatus: "PROCESSED",
  dashboardUrl: LINK,
  syncedAt: SYNCED,
  fingerprint: "newprint",
  tagChanges: [],
  ...extra,
});

describe("asText", () => {
  it.each([
    ["", ""],
    ["Updated", "'Updated"],
    ["=1+1", "'=1+1"],
    ["+44 20", "'+44 20"],
    ["-5", "'-5"],
    ["@user", "'@user"],
    ["00123", "'00123"],
    ["'quoted", "''quoted"],
  ])("%j -> %j", (text, cell) => {
    expect(asText(text)).toBe(cell);
  });
});

describe("RESULT_TEXT", () => {
  it("has one filterable word per outcome", () => {
    expect(RESULT_TEXT).toEqual({
      updated: "Updated",
      failed: "Failed",
      invalid: "Invalid",
      unchanged: "Unchanged",
      noop: "Nothing to change",
    });
  });
});

describe("outputValuesFor: cells per outcome kind", () => {
  const notFound: SyncError = {
    code: "NOT_FOUND",
    message: "Workflow run not found.",
    httpStatus: 404,
    requestId: "r1",
  };

  it.each<[string, RowOutcome, OutputValues]>([
    [
      "updated",
      updated(),
      {
        result: "'Updated",
        status: "'PROCESSED",
        syncedAt: SYNCED,
        error: "",
        link: `'${LINK}`,
        state: "v1 sent=newprint",
      },
    ],
    [
      "updated without a dashboard link",
      updated({ dashboardUrl: undefined, runStatus: "NEEDS_REVIEW" }),
      {
        result: "'Updated",
        status: "'NEEDS_REVIEW",
        syncedAt: SYNCED,
        error: "",
        link: "",
        state: "v1 sent=newprint",
      },
    ],
    [
      "failed keeps status, time and link, and the last successful fingerprint",
      { kind: "failed", error: notFound },
      {
        result: "'Failed",
        status: "'PROCESSING",
        syncedAt: EARLIER,
        error: `'${describeError(notFound)}`,
        link: `'${LINK}`,
        state: "v1 sent=oldprint",
      },
    ],
    [
      "invalid joins its errors",
      { kind: "invalid", errors: ["Run ID is empty.", "Tags has no usable tag."] },
      {
        result: "'Invalid",
        status: "'PROCESSING",
        syncedAt: EARLIER,
        error: "'Run ID is empty. Tags has no usable tag.",
        link: `'${LINK}`,
        state: "v1 sent=oldprint",
      },
    ],
    [
      "unchanged",
      { kind: "unchanged" },
      {
        result: "'Unchanged",
        status: "'PROCESSING",
        syncedAt: EARLIER,
        error: "",
        link: `'${LINK}`,
        state: "v1 sent=oldprint",
      },
    ],
    [
      "noop",
      { kind: "noop" },
      {
        result: "'Nothing to change",
        status: "'PROCESSING",
        syncedAt: EARLIER,
        error: "",
        link: `'${LINK}`,
        state: "v1 sent=oldprint",
      },
    ],
  ])("%s", (_label, outcome, expected) => {
    expect(outputValuesFor(outcome, PREVIOUS)).toEqual(expected);
  });
});

describe("outputValuesFor: a row that never had output", () => {
  it.each<[RowOutcome, OutputValues]>([
    [
      { kind: "noop" },
      { result: "'Nothing to change", status: "", syncedAt: "", error: "", link: "", state: "" },
    ],
    [
      { kind: "failed", error: { code: "NETWORK_ERROR", message: "m" } },
      {
        result: "'Failed",
        status: "",
        syncedAt: "",
        error: `'${describeError({ code: "NETWORK_ERROR", message: "m" })}`,
        link: "",
        state: "",
      },
    ],
    [
      updated(),
      {
        result: "'Updated",
        status: "'PROCESSED",
        syncedAt: SYNCED,
        error: "",
        link: `'${LINK}`,
        state: "v1 sent=newprint",
      },
    ],
  ])("%j", (outcome, expected) => {
    expect(outputValuesFor(outcome, {})).toEqual(expected);
  });
});

describe("outputValuesFor: text is never evaluated by Sheets", () => {
  it.each<[string, RowOutcome, keyof OutputValues, string]>([
    [
      "an API message starting with =",
      {
        kind: "failed",
        error: { code: "INVALID_REQUEST", message: '=IMPORTXML("http://evil")', httpStatus: 422 },
      },
      "error",
      `'INVALID_REQUEST: =IMPORTXML("http://evil") What to do: Extend refused this row's values: correct them as the message says, then sync again.`,
    ],
    [
      "an error code starting with +",
      { kind: "failed", error: { code: "+CODE", message: "m" } },
      "error",
      "'+CODE: m What to do: Sync again later. If it keeps failing, give Extend support the request id.",
    ],
    ["a run status starting with =", updated({ runStatus: "=1+1" }), "status", "'=1+1"],
    ["a number-like run status", updated({ runStatus: "123" }), "status", "'123"],
    ["a dashboard link starting with @", updated({ dashboardUrl: "@evil" }), "link", "'@evil"],
    [
      "a user's error text starting with -",
      { kind: "invalid", errors: ["-1 is not allowed"] },
      "error",
      "'-1 is not allowed",
    ],
    [
      "tag changes typed by the user",
      updated({ tagChanges: [{ typed: "=x", sent: "x", reason: "characters removed" }] }),
      "result",
      `'Updated; tags: "=x" is sent as "x"`,
    ],
  ])("%s", (_label, outcome, column, cell) => {
    expect(outputValuesFor(outcome, {})[column]).toBe(cell);
  });

  it.each<[OutputValues, OutputValues]>([
    [
      { status: "=HYPERLINK(1)", link: "+1", syncedAt: "-3" },
      { status: "'=HYPERLINK(1)", link: "'+1", syncedAt: "'-3" },
    ],
    // Read text that really starts with an apostrophe keeps it: one more in front stores the text as it was.
    [
      { status: "'PROCESSED", link: `'${LINK}`, syncedAt: "'x" },
      { status: "''PROCESSED", link: `''${LINK}`, syncedAt: "''x" },
    ],
    [
      { status: 42, link: true, syncedAt: EARLIER },
      { status: 42, link: true, syncedAt: EARLIER },
    ],
    [
      { status: "", link: "", syncedAt: "" },
      { status: "", link: "", syncedAt: "" },
    ],
  ])("kept values %j are written back as %j", (previous, kept) => {
    const values = outputValuesFor({ kind: "failed", error: { code: "X", message: "m" } }, previous);
    expect({ status: values.status, link: values.link, syncedAt: values.syncedAt }).toEqual(kept);
  });

  it("every text cell of every outcome starts with an apostrophe or is empty", () => {
    const outcomes: RowOutcome[] = [
      updated({ runStatus: "=A1", dashboardUrl: "=B2" }),
      { kind: "failed", error: { code: "=C3", message: "=D4", requestId: "=E5" } },
      { kind: "invalid", errors: ["=F6"] },
      { kind: "unchanged" },
      { kind: "noop" },
    ];
    const previous: OutputValues = {
      status: "=G7",
      syncedAt: "=H8",
      link: "=I9",
      result: "=J10",
      error: "=K11",
    };
    for (const outcome of outcomes) {
      const values = outputValuesFor(outcome, previous);
      for (const column of ["result", "status", "syncedAt", "error", "link"] as const) {
        const value = values[column];
        if (typeof value === "string" && value !== "") expect(value.startsWith("'")).toBe(true);
      }
    }
  });
});

describe("outputValuesFor: tag changes in the result", () => {
  it("lists every change after the result word", () => {
    const values = outputValuesFor(
      updated({
        tagChanges: [
          { typed: "team eng", sent: "teameng", reason: "characters removed" },
          { typed: "!!", reason: "empty after cleaning" },
          { typed: "a", sent: "a", reason: "duplicate" },
        ],
      }),
      {},
    );
    expect(values.result).toBe(
      `'Updated; tags: "team eng" is sent as "teameng"; "!!" is dropped (no allowed characters); "a" is dropped (duplicate)`,
    );
  });
});

describe("outputValuesFor: the state cell", () => {
  it.each<[string, RowOutcome, unknown, string]>([
    [
      "updated replaces the fingerprint and ends pending",
      updated(),
      "v1 sent=old pending=job",
      "v1 sent=newprint",
    ],
    [
      "failed keeps the last fingerprint and ends pending",
      { kind: "noop" },
      "v1 sent=old pending=job",
      "v1 sent=old",
    ],
    ["a pending-only state is cleared", { kind: "unchanged" }, "v1 pending=job", ""],
    ["garbage is cleared", { kind: "invalid", errors: ["e"] }, "typed by a user", ""],
    ["nothing stays nothing", { kind: "failed", error: { code: "X", message: "m" } }, "", ""],
  ])("%s", (_label, outcome, state, expected) => {
    expect(outputValuesFor(outcome, { state: state as string }).state).toBe(expected);
  });
});

describe("outputValuesFor: does not touch its input", () => {
  it("leaves the previous values as they were", () => {
    const previous: OutputValues = { ...PREVIOUS };
    outputValuesFor(updated(), previous);
    expect(previous).toEqual(PREVIOUS);
  });
});
