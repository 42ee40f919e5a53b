// Unit tests for src/core/requests/messages.ts: what each error tells the person at the sheet to do.
import { describe, expect, it } from "vitest";
import type { SyncError } from "../../../src/core/requests/classify";
import { describeError, MAX_MESSAGE_LENGTH, whatToDo } from "../../../src/core/requests/messages";

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
    ["URLFETCH_QUOTA", /tomorrow/],
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
      `NOT_FOUND: Workflow run not found. What to do: ${ADVICE.NOT_FOUND} (request id req_1)`,
    ],
    [
      { code: "NETWORK_ERROR", message: "The request did not complete (Timeout)." },
      `NETWORK_ERROR: The request did not complete (Timeout). What to do: ${ADVICE.NETWORK_ERROR}`,
    ],
    [
      { code: "HTTP_401", message: "Extend answered with HTTP status 401.", httpStatus: 401 },
      `HTTP_401: Extend answered with HTTP status 401. What to do: ${ADVICE.UNAUTHORIZED}`,
    ],
    [
      { code: "WEIRD", message: '=HYPERLINK("x")', requestId: "" },
      `WEIRD: =HYPERLINK("x"). What to do: ${FALLBACK}`,
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
      /continue the import tomorrow, it goes on from where it stopped\.$/,
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
