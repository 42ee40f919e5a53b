// Unit tests for src/core/messages.ts: what each error tells the person at the sheet to do.
import { describe, expect, it } from "vitest";
import type { SyncError } from "../../src/core/classify";
import { describeError, whatToDo } from "../../src/core/messages";

const ADVICE = {
  UNAUTHORIZED:
    "Extend did not accept the API key. Set a valid key (Extensions > Extend Sync > Settings > Set API key) and check the region, then sync again.",
  USAGE_BLOCKED:
    "Your Extend organization is blocked for insufficient credits. Ask an Extend admin to add credits, then sync again.",
  NOT_FOUND:
    "Check the Run ID: no such workflow run exists in this workspace and region (see Settings for both).",
  FORBIDDEN:
    "The API key may not change this run: check the Workspace ID in Settings, or ask an Extend admin.",
  INVALID_REQUEST: "Extend refused this row's values: correct them as the message says, then sync again.",
  RATE_LIMIT_EXCEEDED:
    "Extend kept answering that the rate limit was reached: sync again later, or lower the rate in Settings.",
  INTERNAL_ERROR:
    "Extend had a temporary problem: sync again later. If it persists, give Extend support the request id.",
  NETWORK_ERROR:
    "The request did not get through: sync again. Rows that were updated are skipped as unchanged.",
  BAD_RESPONSE:
    "Extend's answer could not be read, so the change may or may not be stored: sync again to be sure.",
  ENDPOINT_REMOVED: "This version of the add-on is out of date: ask whoever installed it to update it.",
} as const;
const FALLBACK = "Sync again later. If it keeps failing, give Extend support the request id.";

describe("whatToDo by Extend code", () => {
  it.each(Object.entries(ADVICE))("%s", (code, advice) => {
    expect(whatToDo({ code, message: "m" })).toBe(advice);
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
      `WEIRD: =HYPERLINK("x") What to do: ${FALLBACK}`,
    ],
  ])("%j", (error, text) => {
    expect(describeError(error)).toBe(text);
  });
});
