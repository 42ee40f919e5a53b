// What the stand-in saw: counts and a log of update requests, so tests can prove what a client sent, how
// fast, and how many at once. The API key is never recorded: Authorization is redacted before anything is kept.
import type { FaultKind } from "./faults.js";

export interface ReceivedUpdate {
  requestId: string;
  runId: string;
  /**
   * Epoch milliseconds when the request arrived, for pacing checks finer than a second; on a virtual clock,
   * the virtual time the client stamped on it.
   */
  receivedAt: number;
  /** Parsed JSON, or the raw text when it was not JSON. */
  body: unknown;
  headers: Record<string, string>;
  /** Final HTTP status, or "dropped" when the connection was cut without an answer. */
  status: number | "dropped" | null;
  applied: boolean;
  fault: FaultKind | null;
}

export interface StandInStats {
  startedAt: string;
  /** API requests; control routes (`/_stand-in/*`) are not counted anywhere. */
  totalRequests: number;
  /** Keyed `"POST /workflow_runs/{id}"`; paths the API does not have are `"<METHOD> (unknown route)"`. */
  byRoute: Record<string, number>;
  /** Keyed by status code as a string, plus `"dropped"` for connections cut without an answer. */
  byStatus: Record<string, number>;
  rateLimited: number;
  faultsInjected: Partial<Record<FaultKind, number>>;
  updatesApplied: number;
  updatesByRunId: Record<string, number>;
  updateRequests: ReceivedUpdate[];
  /** DELETE requests received on `/workflow_runs/{id}`, whatever their outcome. */
  deletes: number;
  deletedRunIds: string[];
  /** `x-extend-workspace-id` values seen; requests without one count under `"(none)"`. */
  workspaceIds: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
  /** Keyed by Unix second: API requests received in that second. */
  requestsBySecond: Record<string, number>;
  /** Keyed by Unix second: write requests (update, delete and other non-GET methods) received in that second. */
  writesBySecond: Record<string, number>;
  /** The query string of each List request, in order (it never holds the key). */
  listQueries: string[];
}

export const NO_WORKSPACE = "(none)";

function emptyStats(): StandInStats {
  return {
    startedAt: new Date().toISOString(),
    totalRequests: 0,
    byRoute: {},
    byStatus: {},
    rateLimited: 0,
    faultsInjected: {},
    updatesApplied: 0,
    updatesByRunId: {},
    updateRequests: [],
    deletes: 0,
    deletedRunIds: [],
    workspaceIds: {},
    listQueries: [],
    inFlight: 0,
    maxInFlight: 0,
    requestsBySecond: {},
    writesBySecond: {},
  };
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export class StatsRecorder {
  private stats = emptyStats();

  reset(): void {
    // Requests still being answered keep counting down from the live figure.
    const { inFlight } = this.stats;
    this.stats = emptyStats();
    this.stats.inFlight = inFlight;
  }

  /** A deep copy, safe to keep while the server goes on counting. */
  snapshot(): StandInStats {
    return structuredClone(this.stats);
  }

  listed(query: string): void {
    this.stats.listQueries.push(query);
  }

  requestStarted(
    route: string,
    isWrite: boolean,
    workspaceId: string | undefined,
    at: number = Date.now(),
  ): void {
    const stats = this.stats;
    stats.totalRequests += 1;
    increment(stats.byRoute, route);
    increment(stats.workspaceIds, workspaceId ?? NO_WORKSPACE);
    const second = String(Math.floor(at / 1000));
    increment(stats.requestsBySecond, second);
    if (isWrite) increment(stats.writesBySecond, second);
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
  }

  requestFinished(status: number | "dropped"): void {
    increment(this.stats.byStatus, String(status));
    this.stats.inFlight = Math.max(0, this.stats.inFlight - 1);
  }

  updateReceived(update: ReceivedUpdate): void {
    this.stats.updateRequests.push(update);
  }

  updateApplied(runId: string): void {
    this.stats.updatesApplied += 1;
    increment(this.stats.updatesByRunId, runId);
  }

  rateLimited(): void {
    this.stats.rateLimited += 1;
  }

  faultInjected(kind: FaultKind): void {
    this.stats.faultsInjected[kind] = (this.stats.faultsInjected[kind] ?? 0) + 1;
  }

  deleteReceived(): void {
    this.stats.deletes += 1;
  }

  runDeleted(runId: string): void {
    this.stats.deletedRunIds.push(runId);
  }
}

/** Header copy with Authorization (and any value carrying the key) replaced, for the update log. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  apiKey: string,
): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    const carriesKey = name === "authorization" || (apiKey.length > 0 && text.includes(apiKey));
    copy[name] = carriesKey ? "REDACTED" : text;
  }
  return copy;
}
