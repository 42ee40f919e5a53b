// Decides what one attempt's answer means for its row (or page): done, try again later, failed for good, or stop
// the whole job (the key or the organisation is refused, so every other request would fail the same way). A
// successful Get or Update carries the run's facts; a successful List carries its page
// (src/core/jobs/import/import-list.ts).
import type { WorkflowRunResponse } from "../../extend/api";
import { headerValue, parseErrorBody } from "../../extend/errors";
import { parseRetryAfter } from "./retry";
import { type RunFacts, type RunField, runFacts, unreadableField } from "./run-facts";
import { fromServer, type Scrub } from "./secrets";

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

/** One attempt: a response, or the message of the exception the transport threw. */
export type AttemptResult = { response: HttpResponse } | { transportError: string };

export interface SyncError {
  code: string;
  message: string;
  requestId?: string;
  httpStatus?: number;
}

/** An answer that failed: try again later, failed for good, or stop the whole job. */
export type FailureClassification =
  | { kind: "retry"; error: SyncError; retryAfterMs?: number; rateLimited: boolean }
  | { kind: "failed"; error: SyncError }
  | { kind: "stop"; error: SyncError };

export type Classification =
  | { kind: "success"; runStatus: string; dashboardUrl?: string; requestId?: string; facts: RunFacts }
  | FailureClassification;

const RETRYABLE_STATUSES = new Set([408, 429]);
/** Enough for any real value; a hostile or broken server's 60,000 characters are cut, not stored. */
const MAX_LENGTH = { code: 100, message: 500, requestId: 100, status: 200, link: 2_000 } as const;
/** Text beyond this is never looked at: scrubbing first and cutting after must not split a key in two. */
export const READ_AT_MOST = 20_000;

/** "Service invoked too many times for one day: urlfetch." ends today's sending. */
const APPS_SCRIPT_DAILY_QUOTA = /Service invoked too many times for one day/i;
/** "...too many times in a short time: urlfetch. Try Utilities.sleep(1000)..." only asks to slow down. */
const APPS_SCRIPT_BURST_LIMIT = /too many times in a short time/i;

function parseRun(body: string): WorkflowRunResponse | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<WorkflowRunResponse> | null;
    if (parsed && typeof parsed.id === "string" && typeof parsed.status === "string") {
      return parsed as WorkflowRunResponse;
    }
  } catch {
    // An unreadable 200 is handled below like any other unusable answer.
  }
  return undefined;
}

/** A 2xx body read: the answer expected, or what it is instead ("a body that is not a workflow run"). */
export type ParsedBody<T> = { ok: true; value: T } | { ok: false; instead: string };

/**
 * What an attempt means, with `parseBody` deciding whether a 2xx body is the answer expected. An unexpected 2xx
 * is retried: an update may or may not have been applied, and sending the same merge again is harmless; a read
 * is harmless anyway.
 */
export function classifyAnswer<T>(
  attempt: AttemptResult,
  now: number,
  scrub: Scrub,
  parseBody: (body: string) => ParsedBody<T>,
): { kind: "success"; value: T; requestId?: string } | FailureClassification {
  if ("transportError" in attempt) {
    const transportError = fromServer(attempt.transportError, MAX_LENGTH.message, scrub);
    // Apps Script's own quota, not the network: every further request would fail the same way today.
    if (APPS_SCRIPT_DAILY_QUOTA.test(transportError)) {
      return { kind: "stop", error: { code: "URLFETCH_QUOTA", message: transportError } };
    }
    if (APPS_SCRIPT_BURST_LIMIT.test(transportError)) {
      return { kind: "retry", rateLimited: true, error: { code: "URLFETCH_BURST", message: transportError } };
    }
    return {
      kind: "retry",
      rateLimited: false,
      error: { code: "NETWORK_ERROR", message: `The request did not complete (${transportError}).` },
    };
  }
  const { status, headers, body } = attempt.response;
  const rawRequestId = headerValue(headers, "x-extend-request-id");
  const headerRequestId = rawRequestId ? fromServer(rawRequestId, MAX_LENGTH.requestId, scrub) : undefined;

  if (status >= 200 && status < 300) {
    const parsed = parseBody(body);
    if (parsed.ok) {
      const success: { kind: "success"; value: T; requestId?: string } = {
        kind: "success",
        value: parsed.value,
      };
      if (headerRequestId) success.requestId = headerRequestId;
      return success;
    }
    const error: SyncError = {
      code: "BAD_RESPONSE",
      message: `Extend answered ${status} with ${parsed.instead}.`,
      httpStatus: status,
    };
    if (headerRequestId) error.requestId = headerRequestId;
    return { kind: "retry", rateLimited: false, error };
  }

  const parsed = parseErrorBody(body.slice(0, READ_AT_MOST));
  const error: SyncError = {
    code: parsed.code ? fromServer(parsed.code, MAX_LENGTH.code, scrub) : `HTTP_${status}`,
    message: parsed.message
      ? fromServer(parsed.message, MAX_LENGTH.message, scrub)
      : `Extend answered with HTTP status ${status}.`,
    httpStatus: status,
  };
  const requestId = parsed.requestId
    ? fromServer(parsed.requestId, MAX_LENGTH.requestId, scrub)
    : headerRequestId;
  if (requestId) error.requestId = requestId;

  if (status === 401 || status === 402 || parsed.code === "USAGE_BLOCKED" || parsed.code === "UNAUTHORIZED") {
    return { kind: "stop", error };
  }
  const retryableByStatus = RETRYABLE_STATUSES.has(status) || status >= 500;
  const retryable = parsed.retryable ?? retryableByStatus;
  if (!retryable) return { kind: "failed", error };
  const retry: FailureClassification = { kind: "retry", rateLimited: status === 429, error };
  const retryAfterMs = parseRetryAfter(headerValue(headers, "retry-after"), now);
  if (retryAfterMs !== undefined) retry.retryAfterMs = retryAfterMs;
  return retry;
}

/**
 * A Get or Update answer: the run's facts on success. `runId` is the run the request was for: an answer
 * describing another run (a cache or proxy mix-up) is not this row's success, whatever its status. `needs`
 * names what the step depends on beyond the id and status: a run without it is an unreadable answer, like a
 * body that is not a run at all, never a run with nothing there.
 */
export function classifyAttempt(
  attempt: AttemptResult,
  now: number,
  scrub: Scrub,
  runId?: string,
  needs: readonly RunField[] = [],
): Classification {
  const answer = classifyAnswer(attempt, now, scrub, (body): ParsedBody<WorkflowRunResponse> => {
    const run = parseRun(body);
    if (!run) return { ok: false, instead: "a body that is not a workflow run" };
    if (runId !== undefined && run.id !== runId)
      return { ok: false, instead: "another workflow run than the one asked for" };
    for (const field of needs) {
      const instead = unreadableField(run, field);
      if (instead) return { ok: false, instead };
    }
    return { ok: true, value: run };
  });
  if (answer.kind !== "success") return answer;
  const facts = runFacts(answer.value, scrub);
  const success: Classification = { kind: "success", runStatus: facts.status, facts };
  if (facts.dashboardUrl) success.dashboardUrl = facts.dashboardUrl;
  if (answer.requestId) success.requestId = answer.requestId;
  return success;
}
