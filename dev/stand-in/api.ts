// The Extend API pipeline: authentication, version and workspace checks, usage block, rate limiting and fault
// injection, in the order a request meets them, then routing to the workflow-run handlers.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StandInConfig } from "./config.js";
import { ApiFailure, errorBody } from "./errors.js";
import { FAULTS_BEFORE_APPLY, type FaultRule, faultAnswer, rewrittenBody } from "./faults.js";
import { type Answer, readBody, sendJson, sendText, singleHeader, sleep } from "./http.js";
import { type HostileCursor, listRuns } from "./list.js";
import { newRequestId } from "./random.js";
import type { RateCategory } from "./rate-limit.js";
import { toWorkflowRun } from "./render.js";
import { deleteRun, findRun, updateRun } from "./run-handlers.js";
import type { StandInState } from "./state.js";
import { type ReceivedUpdate, redactHeaders } from "./stats.js";
import { SIMULATED_LATENCY_HEADER } from "./virtual-time.js";

export const API_VERSION = "2026-02-09";

interface Route {
  /** Stats key, e.g. "POST /workflow_runs/{id}". */
  label: string;
  kind: "list" | "run" | "unknown";
  /** The decoded `{id}`; null on other routes, or when the id is not valid percent-encoding. */
  runId: string | null;
}

const RUNS_PATH = "/workflow_runs";

function matchRoute(method: string, path: string): Route {
  if (path === RUNS_PATH && method === "GET") return { label: `GET ${RUNS_PATH}`, kind: "list", runId: null };
  const segment = path.startsWith(`${RUNS_PATH}/`) ? path.slice(RUNS_PATH.length + 1) : "";
  if (segment === "" || segment.includes("/")) {
    return { label: `${method} (unknown route)`, kind: "unknown", runId: null };
  }
  let runId: string | null = null;
  try {
    runId = decodeURIComponent(segment);
  } catch {
    // Reported as a 400 once the request has passed authentication.
  }
  return { label: `${method} ${RUNS_PATH}/{id}`, kind: "run", runId };
}

export async function handleApiRequest(
  state: StandInState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const requestId = newRequestId();
  res.setHeader("x-extend-request-id", requestId);
  const method = (req.method ?? "GET").toUpperCase();
  const { stats, config } = state;
  // On a virtual clock nothing is slept: the time the answer stands for goes back in a header.
  const virtual = config.virtualClock;
  const sentAt = virtual ? state.timeline.timeOf(req) : undefined;
  let latencyMs = config.latencyMs;
  if (virtual) res.setHeader(SIMULATED_LATENCY_HEADER, String(latencyMs));
  const route = matchRoute(method, path);
  stats.requestStarted(route.label, method !== "GET", singleHeader(req, "x-extend-workspace-id"), sentAt);
  if (route.kind === "run" && method === "DELETE") stats.deleteReceived();

  let update: ReceivedUpdate | null = null;
  res.on("close", () => {
    const status = res.writableFinished ? res.statusCode : "dropped";
    stats.requestFinished(status);
    if (update) update.status = status;
  });

  try {
    const body = await readBody(req);
    if (route.kind === "run" && method === "POST") {
      update = {
        requestId,
        runId: route.runId ?? path.slice(RUNS_PATH.length + 1),
        receivedAt: sentAt ?? Date.now(),
        body: parseForLog(body),
        headers: redactHeaders(req.headers, config.apiKey),
        status: null,
        applied: false,
        fault: null,
      };
      stats.updateReceived(update);
    }
    if (!virtual) await sleep(config.latencyMs);

    const fault = state.faults.take({ method, path, runId: route.runId, query: query.toString(), body });
    if (fault) {
      stats.faultInjected(fault.kind);
      if (update) update.fault = fault.kind;
      if (fault.kind === "delay") {
        if (virtual) {
          latencyMs += fault.delayMs ?? 1000;
          res.setHeader(SIMULATED_LATENCY_HEADER, String(latencyMs));
        } else await sleep(fault.delayMs ?? 1000);
      }
      if (fault.kind === "drop") {
        req.socket.destroy();
        return;
      }
      if (FAULTS_BEFORE_APPLY.has(fault.kind) || (fault.kind === "custom" && !fault.apply)) {
        sendFault(res, fault, requestId, config.wrapErrors, req, route.runId);
        return;
      }
    }

    const listCursor = fault?.kind === "list-cursor" ? fault.cursor : undefined;
    const answer = answerApiRequest(state, req, method, route, query, body, requestId, sentAt, listCursor);
    if (update) update.applied = answer.status === 200;
    if (fault?.kind === "custom" && answer.status === 200) {
      // The update is stored; the client gets the hostile answer instead of the real one. When the real handling
      // failed (no such run, refused values) nothing was stored, and the real error goes back instead: a body
      // about a success that did not happen would be a lie no client could see through.
      sendFault(res, fault, requestId, config.wrapErrors, req, route.runId);
      return;
    }
    if (fault?.kind === "rewrite" && answer.status === 200) {
      // The real answer, changed as the rule says: a field missing, of the wrong type, or nested too deep.
      sendText(
        res,
        200,
        "application/json; charset=utf-8",
        rewrittenBody(answer.body, fault),
        answer.headers,
      );
      return;
    }
    if (fault?.kind === "drop-after-apply") {
      // Stored, but the client never hears back: it cannot tell this from a request that never arrived.
      req.socket.destroy();
      return;
    }
    sendJson(res, answer.status, answer.body, answer.headers);
  } catch (failure) {
    sendFailure(res, failure, requestId, config.wrapErrors);
  }
}

function sendFault(
  res: ServerResponse,
  fault: FaultRule,
  requestId: string,
  wrapErrors: boolean,
  req: IncomingMessage,
  runId: string | null,
): void {
  const answer = faultAnswer(fault, requestId, wrapErrors, {
    authorization: singleHeader(req, "authorization") ?? "",
    runId: runId ?? "",
  });
  sendText(res, answer.status, answer.contentType, answer.body, answer.headers);
}

function sendFailure(res: ServerResponse, failure: unknown, requestId: string, wrapErrors: boolean): void {
  if (!(failure instanceof ApiFailure)) {
    // A bug in the stand-in: answer as the API would, without internals in the body.
    console.error("Extend stand-in: unexpected error", failure);
  }
  const answer = errorAnswer(failure, requestId, wrapErrors);
  sendJson(res, answer.status, answer.body, answer.headers);
}

function errorAnswer(failure: unknown, requestId: string, wrapErrors: boolean): Answer {
  if (!(failure instanceof ApiFailure)) {
    return {
      status: 500,
      body: errorBody("INTERNAL_ERROR", "An internal error occurred.", requestId, wrapErrors),
    };
  }
  return {
    status: failure.status,
    body: errorBody(failure.code, failure.message, requestId, wrapErrors),
    headers: failure.headers,
  };
}

function parseForLog(body: string): unknown {
  try {
    return body.trim() === "" ? null : JSON.parse(body);
  } catch {
    return body;
  }
}

/** The checks every API request meets, then the route's handler; an ApiFailure becomes an error answer. */
function answerApiRequest(
  state: StandInState,
  req: IncomingMessage,
  method: string,
  route: Route,
  query: URLSearchParams,
  body: string,
  requestId: string,
  sentAt: number | undefined,
  listCursor?: HostileCursor,
): Answer {
  try {
    return routeApiRequest(state, req, method, route, query, body, sentAt, listCursor);
  } catch (failure) {
    if (!(failure instanceof ApiFailure)) throw failure;
    return errorAnswer(failure, requestId, state.config.wrapErrors);
  }
}

function routeApiRequest(
  state: StandInState,
  req: IncomingMessage,
  method: string,
  route: Route,
  query: URLSearchParams,
  body: string,
  sentAt: number | undefined,
  listCursor: HostileCursor | undefined,
): Answer {
  const { config } = state;
  checkAccess(req, config);
  const category: RateCategory = method === "GET" ? "GET" : "WRITE";
  const decision = state.rateLimiter.take(
    config.apiKey,
    config.sharedRateLimit ? "ALL" : category,
    { rate: config.rate, burst: config.burst ?? undefined },
    sentAt,
  );
  if (!decision.allowed) {
    state.stats.rateLimited();
    throw new ApiFailure(
      429,
      "RATE_LIMIT_EXCEEDED",
      `Rate limit exceeded for ${category} requests (${config.rate} per second). Retry with backoff.`,
      config.sendRetryAfter ? { "retry-after": String(decision.retryAfterSeconds) } : {},
    );
  }

  if (route.kind === "list") {
    state.stats.listed(query.toString());
    const listed = listRuns(state.runs.values(), query, config.maxPageSize, listCursor);
    if (!listed.ok) throw new ApiFailure(listed.status, "INVALID_REQUEST", listed.message);
    return { status: 200, body: listed.value };
  }
  if (route.kind === "run") {
    if (route.runId === null) {
      throw new ApiFailure(
        400,
        "INVALID_REQUEST",
        "The workflow run id in the path is not valid URL encoding.",
      );
    }
    if (method === "GET") return { status: 200, body: toWorkflowRun(findRun(state, route.runId)) };
    if (method === "POST") return updateRun(state, req, route.runId, body);
    if (method === "DELETE") return deleteRun(state, route.runId);
    throw new ApiFailure(
      404,
      "NOT_FOUND",
      `No route ${method} ${RUNS_PATH}/{id}; workflow runs are updated with POST.`,
    );
  }
  throw new ApiFailure(404, "NOT_FOUND", `No route ${method} ${(req.url ?? "/").split("?")[0]}.`);
}

/** Order: key (401), version (400), workspace (401), usage block (402). Messages never quote the key. */
function checkAccess(req: IncomingMessage, config: StandInConfig): void {
  const authorization = singleHeader(req, "authorization");
  const bearer = authorization?.match(/^Bearer (.+)$/);
  if (!bearer) {
    throw new ApiFailure(
      401,
      "UNAUTHORIZED",
      "Missing or malformed Authorization header; expected 'Bearer <API key>'.",
    );
  }
  if (!config.acceptAnyKey && bearer[1] !== config.apiKey)
    throw new ApiFailure(401, "UNAUTHORIZED", "Invalid API key.");
  const version = singleHeader(req, "x-extend-api-version");
  if (version !== API_VERSION) {
    throw new ApiFailure(
      400,
      "INVALID_REQUEST",
      version === undefined
        ? `Missing x-extend-api-version header; send '${API_VERSION}'.`
        : `Unsupported x-extend-api-version; this API serves '${API_VERSION}'.`,
    );
  }
  const workspaceId = singleHeader(req, "x-extend-workspace-id");
  if (config.requiredWorkspaceId !== null && workspaceId !== config.requiredWorkspaceId) {
    throw new ApiFailure(
      401,
      "UNAUTHORIZED",
      workspaceId === undefined
        ? "This API key is organization-scoped: send the x-extend-workspace-id header."
        : "The API key has no access to the workspace in x-extend-workspace-id.",
    );
  }
  if (config.usageBlocked) {
    throw new ApiFailure(402, "USAGE_BLOCKED", "Your organization is blocked for insufficient credits.");
  }
}
