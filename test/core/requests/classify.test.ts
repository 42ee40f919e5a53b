// Unit tests for src/core/requests/classify.ts: one attempt's answer -> success, retry, failed or stop.
import { describe, expect, it } from "vitest";
import {
  type AttemptResult,
  type Classification,
  classifyAttempt,
  type HttpResponse,
} from "../../../src/core/requests/classify";
import { scrubberFor } from "../../../src/core/requests/secrets";

const NOW = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
const ID = "workflow_run_xKm9pNv3qWsY_jL2tR5Dh";
const DASHBOARD = `https://dashboard.extend.ai/workflows/runs/${ID}`;

function answer(status: number, body: unknown, headers: HttpResponse["headers"] = {}): AttemptResult {
  return { response: { status, headers, body: typeof body === "string" ? body : JSON.stringify(body) } };
}

const run = (extra: Record<string, unknown> = {}) => ({
  object: "workflow_run",
  id: ID,
  status: "PROCESSED",
  dashboardUrl: DASHBOARD,
  metadata: { a: 1 },
  ...extra,
});

const KEY = "sk_test_classify_key_0123456789";
const scrub = scrubberFor([KEY]);
const classify = (attempt: AttemptResult): Classification => classifyAttempt(attempt, NOW, scrub);

describe("2xx with a workflow run -> success", () => {
  it.each<[string, AttemptResult, Omit<Extract<Classification, { kind: "success" }>, "facts">]>([
    ["200", answer(200, run()), { kind: "success", runStatus: "PROCESSED", dashboardUrl: DASHBOARD }],
    ["201", answer(201, run()), { kind: "success", runStatus: "PROCESSED", dashboardUrl: DASHBOARD }],
    [
      "a status the add-on does not know passes through",
      answer(200, run({ status: "ARCHIVED" })),
      { kind: "success", runStatus: "ARCHIVED", dashboardUrl: DASHBOARD },
    ],
    [
      "no dashboard link",
      answer(200, run({ dashboardUrl: undefined })),
      { kind: "success", runStatus: "PROCESSED" },
    ],
    [
      "an empty dashboard link",
      answer(200, run({ dashboardUrl: "" })),
      { kind: "success", runStatus: "PROCESSED" },
    ],
    [
      "the request id header",
      answer(200, run(), { "x-extend-request-id": "req_1" }),
      { kind: "success", runStatus: "PROCESSED", dashboardUrl: DASHBOARD, requestId: "req_1" },
    ],
    [
      "the request id header in another case",
      answer(200, run({ status: "PENDING" }), { "X-Extend-Request-Id": "req_2" }),
      { kind: "success", runStatus: "PENDING", dashboardUrl: DASHBOARD, requestId: "req_2" },
    ],
    ["a minimal run", answer(200, { id: ID, status: "FAILED" }), { kind: "success", runStatus: "FAILED" }],
  ])("%s", (_label, attempt, expected) => {
    const result = classify(attempt);
    const { facts: _facts, ...rest } = result.kind === "success" ? result : { ...result, facts: undefined };
    expect(rest).toEqual(expected);
  });
});

describe("2xx that is not a workflow run -> retry BAD_RESPONSE", () => {
  it.each<[number, string]>([
    [200, ""],
    [200, "OK"],
    [200, "<html><body>Gateway</body></html>"],
    [200, "null"],
    [200, "[]"],
    [200, "{}"],
    [200, JSON.stringify({ id: ID })],
    [200, JSON.stringify({ status: "PROCESSED" })],
    [200, JSON.stringify({ id: 42, status: "PROCESSED" })],
    [200, JSON.stringify({ id: ID, status: null })],
    [200, `${JSON.stringify(run())}garbage`],
    [204, ""],
    [299, "{}"],
  ])("%i %j", (status, body) => {
    expect(classify(answer(status, body))).toEqual({
      kind: "retry",
      rateLimited: false,
      error: {
        code: "BAD_RESPONSE",
        message: `Extend answered ${status} with a body that is not a workflow run.`,
        httpStatus: status,
      },
    });
  });

  it("keeps the request id header", () => {
    expect(classify(answer(200, "<html>", { "x-extend-request-id": "req_9" }))).toEqual({
      kind: "retry",
      rateLimited: false,
      error: {
        code: "BAD_RESPONSE",
        message: "Extend answered 200 with a body that is not a workflow run.",
        httpStatus: 200,
        requestId: "req_9",
      },
    });
  });
});

describe("2xx with a run that lacks what the step needs -> retry BAD_RESPONSE", () => {
  it.each<[string, Record<string, unknown>, ("metadata" | "usage")[], string | undefined]>([
    ["no metadata, for a step that needs it", { metadata: undefined }, ["metadata"], "without its metadata"],
    ["metadata null", { metadata: null }, ["metadata"], "whose metadata is not an object"],
    ["metadata a list", { metadata: ["a"] }, ["metadata", "usage"], "whose metadata is not an object"],
    ["credits a word", { usage: { credits: "lots" } }, ["usage"], "whose usage.credits is not a number"],
    [
      "usage without credits",
      { usage: { totalCredits: 1 } },
      ["usage"],
      "whose usage.credits is not a number",
    ],
    ["no metadata, for a step that needs only the status", { metadata: undefined }, [], undefined],
    ["no usage at all (legacy billing)", { usage: undefined }, ["metadata", "usage"], undefined],
    ["usage null", { usage: null }, ["usage"], undefined],
    ["credits as numeric text", { usage: { credits: "1.5" } }, ["usage"], undefined],
  ])("%s", (_label, change, needs, instead) => {
    const result = classifyAttempt(answer(200, run(change)), NOW, scrub, ID, needs);
    if (instead === undefined) expect(result.kind).toBe("success");
    else
      expect(result).toEqual({
        kind: "retry",
        rateLimited: false,
        error: {
          code: "BAD_RESPONSE",
          message: `Extend answered 200 with a workflow run ${instead}.`,
          httpStatus: 200,
        },
      });
  });
});

describe("refused key or organisation -> stop the whole sync", () => {
  it.each<[string, AttemptResult, Classification]>([
    [
      "401 UNAUTHORIZED",
      answer(401, { code: "UNAUTHORIZED", message: "Invalid API key", retryable: false, requestId: "req_a" }),
      {
        kind: "stop",
        error: { code: "UNAUTHORIZED", message: "Invalid API key", httpStatus: 401, requestId: "req_a" },
      },
    ],
    [
      "401 with an empty body",
      answer(401, ""),
      {
        kind: "stop",
        error: { code: "HTTP_401", message: "Extend answered with HTTP status 401.", httpStatus: 401 },
      },
    ],
    [
      "401 even if the body says retryable",
      answer(401, { code: "UNAUTHORIZED", message: "m", retryable: true }),
      { kind: "stop", error: { code: "UNAUTHORIZED", message: "m", httpStatus: 401 } },
    ],
    [
      "402 USAGE_BLOCKED",
      answer(402, { code: "USAGE_BLOCKED", message: "Insufficient credits", retryable: false }),
      { kind: "stop", error: { code: "USAGE_BLOCKED", message: "Insufficient credits", httpStatus: 402 } },
    ],
    [
      "402 without a code",
      answer(402, "Payment Required"),
      {
        kind: "stop",
        error: { code: "HTTP_402", message: "Extend answered with HTTP status 402.", httpStatus: 402 },
      },
    ],
    [
      "USAGE_BLOCKED on a 403",
      answer(403, { code: "USAGE_BLOCKED", message: "blocked" }),
      { kind: "stop", error: { code: "USAGE_BLOCKED", message: "blocked", httpStatus: 403 } },
    ],
    [
      "USAGE_BLOCKED wrapped in error",
      answer(
        429,
        { error: { code: "USAGE_BLOCKED", message: "blocked", retryable: true } },
        { "Retry-After": "1" },
      ),
      { kind: "stop", error: { code: "USAGE_BLOCKED", message: "blocked", httpStatus: 429 } },
    ],
    [
      "UNAUTHORIZED on a 400",
      answer(400, { code: "UNAUTHORIZED", message: "Malformed Authorization header" }),
      {
        kind: "stop",
        error: { code: "UNAUTHORIZED", message: "Malformed Authorization header", httpStatus: 400 },
      },
    ],
  ])("%s", (_label, attempt, expected) => {
    expect(classify(attempt)).toEqual(expected);
  });
});

describe("408, 429 and 5xx -> retry", () => {
  it.each<[number, boolean]>([
    [408, false],
    [429, true],
    [500, false],
    [502, false],
    [503, false],
    [504, false],
    [599, false],
  ])("%i without a body (rate limited: %s)", (status, rateLimited) => {
    expect(classify(answer(status, ""))).toEqual({
      kind: "retry",
      rateLimited,
      error: {
        code: `HTTP_${status}`,
        message: `Extend answered with HTTP status ${status}.`,
        httpStatus: status,
      },
    });
  });

  it("429 RATE_LIMIT_EXCEEDED with its body", () => {
    const body = { code: "RATE_LIMIT_EXCEEDED", message: "Slow down", retryable: true, requestId: "req_r" };
    expect(classify(answer(429, body))).toEqual({
      kind: "retry",
      rateLimited: true,
      error: { code: "RATE_LIMIT_EXCEEDED", message: "Slow down", httpStatus: 429, requestId: "req_r" },
    });
  });

  it.each<[HttpResponse["headers"], number | undefined]>([
    [{ "Retry-After": "7" }, 7000],
    [{ "retry-after": "7" }, 7000],
    [{ "RETRY-AFTER": " 2 " }, 2000],
    [{ "ReTrY-aFtEr": "0.5" }, 500],
    [{ "Retry-After": ["3", "9"] }, 3000],
    [{ "Retry-After": "Wed, 21 Oct 2015 07:28:45 GMT" }, 45_000],
    [{ "Retry-After": "Wed, 21 Oct 2015 07:00:00 GMT" }, 0],
    [{ "Retry-After": "later" }, undefined],
    [{ "X-RateLimit-Reset": "1445412500" }, undefined],
    [{}, undefined],
  ])("429 with headers %j -> retryAfterMs %j", (headers, retryAfterMs) => {
    const result = classify(answer(429, { code: "RATE_LIMIT_EXCEEDED", message: "m" }, headers));
    const expected: Classification = {
      kind: "retry",
      rateLimited: true,
      error: { code: "RATE_LIMIT_EXCEEDED", message: "m", httpStatus: 429 },
    };
    if (retryAfterMs !== undefined) expected.retryAfterMs = retryAfterMs;
    expect(result).toEqual(expected);
    expect("retryAfterMs" in result).toBe(retryAfterMs !== undefined);
  });

  it("503 honours Retry-After too", () => {
    expect(classify(answer(503, "<html>Service Unavailable</html>", { "retry-after": "30" }))).toEqual({
      kind: "retry",
      rateLimited: false,
      retryAfterMs: 30_000,
      error: { code: "HTTP_503", message: "Extend answered with HTTP status 503.", httpStatus: 503 },
    });
  });
});

describe("the body's retryable flag wins over the status", () => {
  it.each<[number, boolean, Classification["kind"]]>([
    [500, false, "failed"],
    [503, false, "failed"],
    [429, false, "failed"],
    [408, false, "failed"],
    [500, true, "retry"],
    [400, true, "retry"],
    [404, true, "retry"],
    [409, true, "retry"],
    [422, true, "retry"],
    [404, false, "failed"],
  ])("%i with retryable %s -> %s", (status, retryable, kind) => {
    const result = classify(answer(status, { code: "SOME_CODE", message: "m", retryable }));
    expect(result.kind).toBe(kind);
    expect(result).toMatchObject({ error: { code: "SOME_CODE", message: "m", httpStatus: status } });
  });

  it("a retryable 4xx is not mistaken for rate limiting", () => {
    expect(classify(answer(409, { code: "CONFLICT", message: "busy", retryable: true }))).toEqual({
      kind: "retry",
      rateLimited: false,
      error: { code: "CONFLICT", message: "busy", httpStatus: 409 },
    });
  });

  it("ignores a retryable flag that is not a boolean", () => {
    expect(classify(answer(404, { code: "NOT_FOUND", message: "m", retryable: "true" })).kind).toBe("failed");
    expect(classify(answer(500, { code: "INTERNAL_ERROR", message: "m", retryable: "false" })).kind).toBe(
      "retry",
    );
  });
});

describe("other 4xx -> failed for good", () => {
  it.each<[number, unknown, Classification]>([
    [
      404,
      { code: "NOT_FOUND", message: "Workflow run not found", retryable: false, requestId: "req_n" },
      {
        kind: "failed",
        error: { code: "NOT_FOUND", message: "Workflow run not found", httpStatus: 404, requestId: "req_n" },
      },
    ],
    [
      422,
      { code: "INVALID_REQUEST", message: "metadata must be an object", retryable: false },
      {
        kind: "failed",
        error: { code: "INVALID_REQUEST", message: "metadata must be an object", httpStatus: 422 },
      },
    ],
    [
      400,
      { code: "INVALID_REQUEST", message: "bad" },
      { kind: "failed", error: { code: "INVALID_REQUEST", message: "bad", httpStatus: 400 } },
    ],
    [
      403,
      { code: "FORBIDDEN", message: "no access" },
      { kind: "failed", error: { code: "FORBIDDEN", message: "no access", httpStatus: 403 } },
    ],
    [
      404,
      "",
      {
        kind: "failed",
        error: { code: "HTTP_404", message: "Extend answered with HTTP status 404.", httpStatus: 404 },
      },
    ],
    [
      409,
      "{}",
      {
        kind: "failed",
        error: { code: "HTTP_409", message: "Extend answered with HTTP status 409.", httpStatus: 409 },
      },
    ],
    [
      410,
      { code: "ENDPOINT_REMOVED", message: "Use /v2" },
      { kind: "failed", error: { code: "ENDPOINT_REMOVED", message: "Use /v2", httpStatus: 410 } },
    ],
    [
      301,
      "",
      {
        kind: "failed",
        error: { code: "HTTP_301", message: "Extend answered with HTTP status 301.", httpStatus: 301 },
      },
    ],
  ])("%i %j", (status, body, expected) => {
    expect(classify(answer(status, body))).toEqual(expected);
  });
});

describe("error bodies in every shape", () => {
  it.each<[string, string, Record<string, unknown>]>([
    [
      "flat",
      JSON.stringify({ code: "NOT_FOUND", message: "gone", requestId: "req_f" }),
      { code: "NOT_FOUND", message: "gone", httpStatus: 404, requestId: "req_f" },
    ],
    [
      "wrapped in error",
      JSON.stringify({ error: { code: "NOT_FOUND", message: "gone", requestId: "req_w" } }),
      { code: "NOT_FOUND", message: "gone", httpStatus: 404, requestId: "req_w" },
    ],
    [
      "an HTML page from a proxy",
      "<!DOCTYPE html><html><head><title>404</title></head></html>",
      { code: "HTTP_404", message: "Extend answered with HTTP status 404.", httpStatus: 404 },
    ],
    [
      "plain text",
      "Not Found",
      { code: "HTTP_404", message: "Extend answered with HTTP status 404.", httpStatus: 404 },
    ],
    [
      "a JSON array",
      "[1,2]",
      { code: "HTTP_404", message: "Extend answered with HTTP status 404.", httpStatus: 404 },
    ],
    [
      "fields of the wrong type",
      JSON.stringify({ code: 404, message: ["x"], requestId: 7 }),
      { code: "HTTP_404", message: "Extend answered with HTTP status 404.", httpStatus: 404 },
    ],
    [
      "a message without a code",
      JSON.stringify({ message: "Run not found" }),
      { code: "HTTP_404", message: "Run not found", httpStatus: 404 },
    ],
  ])("%s", (_label, body, error) => {
    expect(classify(answer(404, body))).toEqual({ kind: "failed", error });
  });

  it("a wrapped retryable flag counts", () => {
    expect(
      classify(answer(500, { error: { code: "INTERNAL_ERROR", message: "m", retryable: false } })),
    ).toEqual({
      kind: "failed",
      error: { code: "INTERNAL_ERROR", message: "m", httpStatus: 500 },
    });
  });
});

describe("request id", () => {
  it.each<[string, unknown, HttpResponse["headers"], string | undefined]>([
    ["from the body", { code: "X", message: "m", requestId: "req_body" }, {}, "req_body"],
    ["from the header", { code: "X", message: "m" }, { "x-extend-request-id": "req_head" }, "req_head"],
    ["from the header in capitals", "", { "X-EXTEND-REQUEST-ID": "req_caps" }, "req_caps"],
    ["from the header as a list", "", { "x-extend-request-id": ["req_list", "req_other"] }, "req_list"],
    [
      "the body's before the header's",
      { error: { code: "X", message: "m", requestId: "req_body" } },
      { "x-extend-request-id": "req_head" },
      "req_body",
    ],
    ["an empty header", "", { "x-extend-request-id": "" }, undefined],
    ["none", { code: "X", message: "m" }, { "x-request-id": "other" }, undefined],
  ])("%s", (_label, body, headers, requestId) => {
    const result = classify(answer(404, body, headers));
    if (result.kind === "success") throw new Error("a 404 is never a success");
    expect(result.error.requestId).toBe(requestId);
    expect("requestId" in result.error).toBe(requestId !== undefined);
  });
});

describe("transport failures -> retry NETWORK_ERROR", () => {
  it.each(["Address unavailable: https://api.extend.ai/workflow_runs/x", "Timeout", ""])(
    "%j",
    (transportError) => {
      expect(classify({ transportError })).toEqual({
        kind: "retry",
        rateLimited: false,
        error: { code: "NETWORK_ERROR", message: `The request did not complete (${transportError}).` },
      });
    },
  );
});

describe("Apps Script's own UrlFetch limits", () => {
  it("stops the sync when the daily quota is used up", () => {
    const verdict = classifyAttempt(
      { transportError: "Service invoked too many times for one day: urlfetch." },
      0,
      scrub,
    );
    expect(verdict).toMatchObject({ kind: "stop", error: { code: "URLFETCH_QUOTA" } });
  });

  it("slows down and retries when called too often in a short time", () => {
    const verdict = classifyAttempt(
      {
        transportError:
          "Service invoked too many times in a short time: urlfetch. Try Utilities.sleep(1000) between calls.",
      },
      0,
      scrub,
    );
    expect(verdict).toMatchObject({ kind: "retry", rateLimited: true, error: { code: "URLFETCH_BURST" } });
  });
});
