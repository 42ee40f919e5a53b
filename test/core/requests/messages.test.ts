// Unit tests for src/core/requests/messages.ts: what each error tells the person at the sheet to do.
import { describe, expect, it } from "vitest";
import type { SyncError } from "../../../src/core/requests/classify";
import {
  describeError,
  describeInvalidRow,
  describeUnwrittenResult,
  documentedCodes,
  MAX_MESSAGE_LENGTH,
  whatToDo,
} from "../../../src/core/requests/messages";

const CODES = [
  "UNAUTHORIZED",
  "USAGE_BLOCKED",
  "NOT_FOUND",
  "FORBIDDEN",
  "INVALID_REQUEST",
  "RATE_LIMIT_EXCEEDED",
  "INTERNAL_ERROR",
  "NETWORK_ERROR",
  "BAD_RESPONSE",
  "URLFETCH_QUOTA",
  "URLFETCH_BURST",
  "ENDPOINT_REMOVED",
] as const;
const advice = (code: string) => whatToDo({ code, message: "m" });
const ADVICE = Object.fromEntries(CODES.map((code) => [code, advice(code)])) as Record<
  (typeof CODES)[number],
  string
>;
const FALLBACK = "Sync again later. If it keeps failing, give Extend support the request id.";

describe("whatToDo by Extend code", () => {
  it("gives every known code its own advice, none of them the fallback", () => {
    expect(new Set(Object.values(ADVICE)).size).toBe(CODES.length);
    for (const code of CODES) expect(ADVICE[code]).not.toBe(FALLBACK);
  });

  it.each<[string, RegExp]>([
    ["UNAUTHORIZED", /Set API key/],
    ["USAGE_BLOCKED", /add credits/],
    ["NOT_FOUND", /Check the Run ID/],
    ["FORBIDDEN", /Workspace ID/],
    ["RATE_LIMIT_EXCEEDED", /lower the rate/],
    ["NETWORK_ERROR", /skipped as unchanged/],
    ["URLFETCH_QUOTA", /once it resets/],
    ["URLFETCH_BURST", /in a minute, or lower the rate/],
  ])("%s says what to do: %s", (code, action) => {
    expect(ADVICE[code as (typeof CODES)[number]]).toMatch(action);
  });

  it("the code wins over the HTTP status", () => {
    expect(whatToDo({ code: "NOT_FOUND", message: "m", httpStatus: 403 })).toBe(ADVICE.NOT_FOUND);
  });
});

describe("whatToDo by HTTP status when the code is unknown (empty or HTML bodies)", () => {
  it.each<[number, string]>([
    [400, ADVICE.INVALID_REQUEST],
    [401, ADVICE.UNAUTHORIZED],
    [402, ADVICE.USAGE_BLOCKED],
    [403, ADVICE.FORBIDDEN],
    [404, ADVICE.NOT_FOUND],
    [422, ADVICE.INVALID_REQUEST],
    [429, ADVICE.RATE_LIMIT_EXCEEDED],
    [409, FALLBACK],
    [500, FALLBACK],
    [503, FALLBACK],
  ])("HTTP_%i", (httpStatus, advice) => {
    expect(whatToDo({ code: `HTTP_${httpStatus}`, message: "m", httpStatus })).toBe(advice);
  });

  it.each<SyncError>([
    { code: "SOMETHING_NEW", message: "m" },
    { code: "", message: "m" },
    { code: "unauthorized", message: "m" },
    { code: "constructor", message: "m" },
    { code: "toString", message: "m" },
    { code: "__proto__", message: "m" },
    { code: "hasOwnProperty", message: "m", httpStatus: 500 },
  ])("falls back for %j", (error) => {
    expect(whatToDo(error)).toBe(FALLBACK);
  });
});

describe("describeError", () => {
  it.each<[SyncError, string]>([
    [
      { code: "NOT_FOUND", message: "Workflow run not found.", httpStatus: 404, requestId: "req_1" },
      `NOT_FOUND: Workflow run not found. What to do: ${ADVICE.NOT_FOUND} (request id req_1) See "NOT_FOUND" in the user guide.`,
    ],
    [
      { code: "NETWORK_ERROR", message: "The request did not complete (Timeout)." },
      `NETWORK_ERROR: The request did not complete (Timeout). What to do: ${ADVICE.NETWORK_ERROR} See "NETWORK_ERROR" in the user guide.`,
    ],
    [
      { code: "HTTP_401", message: "Extend answered with HTTP status 401.", httpStatus: 401 },
      `HTTP_401: Extend answered with HTTP status 401. What to do: ${ADVICE.UNAUTHORIZED} See "UNAUTHORIZED" in the user guide.`,
    ],
    [
      { code: "WEIRD", message: '=HYPERLINK("x")', requestId: "" },
      `WEIRD: =HYPERLINK("x"). What to do: ${FALLBACK} See "Other codes" in the user guide.`,
    ],
  ])("%j", (error, text) => {
    expect(describeError(error)).toBe(text);
  });
});

describe("describeError with a runaway body", () => {
  it("cuts the message and the code so the cell and the saved sync stay small", () => {
    const text = describeError({
      code: "X".repeat(5000),
      message: "y".repeat(50_000),
      requestId: "r".repeat(5000),
    });
    expect(text.length).toBeLessThan(MAX_MESSAGE_LENGTH + 600);
    expect(text).toContain("…");
  });
});

describe("advice for reads and imports", () => {
  it.each<[string, number | undefined, "read" | "import", RegExp]>([
    ["RATE_LIMIT_EXCEEDED", 429, "read", /refresh again later/],
    ["NOT_FOUND", 404, "read", /^Check the Run ID/],
    ["INVALID_RUN_ID", undefined, "read", /^Copy the workflow run id again/],
    ["INVALID_REQUEST", 400, "import", /^Extend refused the filters/],
    ["NOT_FOUND", 404, "import", /^Check the filters/],
    ["UNAUTHORIZED", 401, "read", /Set a valid key .* then try again\.$/],
    [
      "UNAUTHORIZED",
      401,
      "import",
      /Set a valid key .* then continue the import: it goes on from where it stopped\.$/,
    ],
    [
      "USAGE_BLOCKED",
      402,
      "import",
      /add credits, then continue the import: it goes on from where it stopped\.$/,
    ],
    [
      "URLFETCH_QUOTA",
      undefined,
      "import",
      /continue the import once it resets, it goes on from where it stopped\.$/,
    ],
    ["LIST_LOOP", undefined, "import", /^The import stopped so as not to use up your daily allowance/],
    ["HTTP_503", 503, "import", /^Try again later\. If it keeps failing/],
    ["SOMETHING_NEW", 422, "read", /^Extend refused to read this run/],
  ])("%s (HTTP %s) while %s", (code, httpStatus, context, advice) => {
    const error = { code, message: "m", ...(httpStatus ? { httpStatus } : {}) };
    expect(whatToDo(error, context)).toMatch(advice);
    expect(describeError(error, context)).toContain(`What to do: ${whatToDo(error, context)}`);
  });

  it("keeps the sync's advice when no context is given", () => {
    expect(whatToDo({ code: "RATE_LIMIT_EXCEEDED", message: "m" })).toMatch(/sync again later/);
    expect(whatToDo({ code: "UNUSABLE_TAGS", message: "m" })).toMatch(/Replace tag mode/);
  });
});

describe("the user guide's entry each text names", () => {
  const entry = (text: string) => /See "([^"]+)" in the user guide\.( |$)/.exec(text)?.[1];

  it.each<[string, "sync" | "read" | "import"]>(
    documentedCodes()
      .filter((code) => code !== "INVALID_ROW" && code !== "RESULT_NOT_WRITTEN")
      .map((code) => [code, ["LIST_LOOP", "SHEET_FULL"].includes(code) ? "import" : "read"]),
  )("names %s by its own entry (%s)", (code, context) => {
    expect(entry(describeError({ code, message: "m" }, context))).toBe(code);
  });

  it("names the entry whose advice it gave: a bare HTTP status's code, else the entry for other codes", () => {
    expect(entry(describeError({ code: "HTTP_404", message: "m", httpStatus: 404 }))).toBe("NOT_FOUND");
    expect(entry(describeError({ code: "SOMETHING_NEW", message: "m", httpStatus: 422 }, "read"))).toBe(
      "INVALID_REQUEST",
    );
    expect(entry(describeError({ code: "HTTP_502", message: "m", httpStatus: 502 }))).toBe("Other codes");
    expect(entry(describeError({ code: "LIST_LOOP", message: "m" }, "sync"))).toBe("Other codes");
  });

  it("never repeats a server's unknown code in the reference", () => {
    for (const code of ["=EVIL()", "constructor", "__proto__", "X".repeat(5000), "See", ""])
      expect(describeError({ code, message: "m" })).toMatch(/ See "Other codes" in the user guide\.$/);
  });

  it("gives invalid rows and refused results a code of their own, named in the text", () => {
    expect(describeInvalidRow(["Run ID is empty.", "Tags has no usable tag."])).toBe(
      'INVALID_ROW: Run ID is empty. Tags has no usable tag. See "INVALID_ROW" in the user guide.',
    );
    expect(describeUnwrittenResult("It was refused. Extend was updated.")).toBe(
      'RESULT_NOT_WRITTEN: It was refused. Extend was updated. See "RESULT_NOT_WRITTEN" in the user guide.',
    );
    expect(documentedCodes()).toEqual(expect.arrayContaining(["INVALID_ROW", "RESULT_NOT_WRITTEN"]));
  });
});
