// Unit tests for src/extend/errors.ts: defensive error-body parsing and case-insensitive header lookup.
import { describe, expect, it } from "vitest";
import type { ApiErrorBody } from "../../src/extend/api";
import { headerValue, parseErrorBody } from "../../src/extend/errors";

const FULL = {
  code: "INVALID_REQUEST",
  message: "metadata must be an object",
  retryable: false,
  requestId: "req_Xj8mK2pL9nR4vT7qY5wZ",
  docUrl: "https://docs.extend.ai/errors",
};

describe("parseErrorBody", () => {
  it.each<[string, string, ApiErrorBody]>([
    ["a flat body", JSON.stringify(FULL), FULL],
    ["a wrapped body", JSON.stringify({ error: FULL }), FULL],
    [
      "a wrapped body wins over flat fields",
      JSON.stringify({ code: "OUTER", error: { message: "inner" } }),
      { message: "inner" },
    ],
    [
      "retryable true",
      JSON.stringify({ code: "INTERNAL_ERROR", retryable: true }),
      { code: "INTERNAL_ERROR", retryable: true },
    ],
    ["only a message", JSON.stringify({ message: "m" }), { message: "m" }],
    ["unknown fields are dropped", JSON.stringify({ code: "X", extra: 1, status: 500 }), { code: "X" }],
    [
      "fields of the wrong type are dropped",
      JSON.stringify({ code: 500, message: null, retryable: "false", requestId: 1, docUrl: {} }),
      {},
    ],
    ["error as a string is not a wrapper", JSON.stringify({ error: "Bad things", code: "X" }), { code: "X" }],
    ["error as an array is not a wrapper", JSON.stringify({ error: [FULL], code: "X" }), { code: "X" }],
    ["error null is not a wrapper", JSON.stringify({ error: null, message: "m" }), { message: "m" }],
    ["an empty object", "{}", {}],
    ["an empty body", "", {}],
    ["an HTML page", "<html><body><h1>502 Bad Gateway</h1></body></html>", {}],
    ["plain text", "Too Many Requests", {}],
    ["JSON null", "null", {}],
    ["a JSON array", JSON.stringify([FULL]), {}],
    ["a JSON string", '"INVALID_REQUEST"', {}],
    ["a JSON number", "429", {}],
    ["truncated JSON", JSON.stringify(FULL).slice(0, 20), {}],
  ])("%s", (_label, text, expected) => {
    expect(parseErrorBody(text)).toEqual(expected);
  });
});

describe("headerValue", () => {
  const headers = {
    "Retry-After": "7",
    "x-extend-request-id": "req_1",
    "Set-Cookie": ["a=1", "b=2"],
    Empty: "",
  };

  it.each<[string, string | undefined]>([
    ["Retry-After", "7"],
    ["retry-after", "7"],
    ["RETRY-AFTER", "7"],
    ["X-Extend-Request-Id", "req_1"],
    ["x-extend-request-id", "req_1"],
    ["set-cookie", "a=1"],
    ["empty", ""],
    ["x-missing", undefined],
    ["retry_after", undefined],
    ["retry-after ", undefined],
  ])("%j -> %j", (name, value) => {
    expect(headerValue(headers, name)).toBe(value);
  });

  it("finds nothing in no headers", () => {
    expect(headerValue({}, "retry-after")).toBeUndefined();
  });

  it("an empty list has no first value", () => {
    expect(headerValue({ "Retry-After": [] }, "retry-after")).toBeUndefined();
  });
});
