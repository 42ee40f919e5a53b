// List Workflow Runs (reference §2): filters, sorting and opaque-cursor pagination over the stored runs.
// Page size limits are UNKNOWN in the reference; the stand-in's choices are the constants below.
import { toWorkflowRunSummary } from "./render.js";
import { type StoredRun, WORKFLOW_RUN_STATUSES, type WorkflowRunList } from "./types.js";
import type { Checked } from "./update.js";

export const DEFAULT_PAGE_SIZE = 20;
/** Larger requests are clamped, not refused: the docs say "you may receive less than this number". */
export const MAX_PAGE_SIZE = 100;

const SORT_FIELDS = ["createdAt", "updatedAt"] as const;
const SORT_DIRECTIONS = ["asc", "desc"] as const;

const invalid = (message: string) => ({ ok: false, status: 400, message }) as const;

/**
 * A broken List's cursors, for a `list-cursor` fault (faults.ts). `repeat`, `cycle` and `fresh` answer the first
 * page of the listing whatever cursor came (its runs again and again) with, as the next cursor: the one that came
 * (`repeat`); `cycle-a` and `cycle-b` in turn (`cycle`); a new one every page, `fresh-1`, `fresh-2`, … (`fresh`).
 * `creep` reads from the cursor that came, but its next cursor moves on by one run instead of a page, so every
 * page brings a single new run and repeats the others.
 */
export const HOSTILE_CURSORS = ["repeat", "cycle", "fresh", "creep"] as const;
export type HostileCursor = (typeof HOSTILE_CURSORS)[number];

function hostileNext(mode: Exclude<HostileCursor, "creep">, token: string | null): string {
  if (mode === "repeat") return token ?? "repeat";
  if (mode === "cycle") return token === "cycle-a" ? "cycle-b" : "cycle-a";
  const count = Number(/^fresh-(\d+)$/.exec(token ?? "")?.[1] ?? 0);
  return `fresh-${count + 1}`;
}

/**
 * Unknown query parameters are ignored, as the API's schemas drop them. `maxPageSize` above `clamp` gets `clamp`.
 * `hostile` makes the cursors those of a broken List (see HostileCursor).
 */
export function listRuns(
  runs: Iterable<StoredRun>,
  query: URLSearchParams,
  clamp = MAX_PAGE_SIZE,
  hostile?: HostileCursor,
): Checked<WorkflowRunList> {
  const status = query.get("status");
  if (status !== null && !(WORKFLOW_RUN_STATUSES as readonly string[]).includes(status)) {
    return invalid(`Invalid query parameter 'status': expected one of ${WORKFLOW_RUN_STATUSES.join(", ")}.`);
  }
  const sortBy = query.get("sortBy") ?? "createdAt";
  if (!(SORT_FIELDS as readonly string[]).includes(sortBy)) {
    return invalid("Invalid query parameter 'sortBy': expected createdAt or updatedAt.");
  }
  // Newest first when unspecified (UNKNOWN in the reference), the usual default for activity lists.
  const sortDir = query.get("sortDir") ?? "desc";
  if (!(SORT_DIRECTIONS as readonly string[]).includes(sortDir)) {
    return invalid("Invalid query parameter 'sortDir': expected asc or desc.");
  }
  const pageSizeText = query.get("maxPageSize");
  const pageSize = pageSizeText === null ? DEFAULT_PAGE_SIZE : Number(pageSizeText);
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    return invalid("Invalid query parameter 'maxPageSize': expected a positive integer.");
  }
  const token = query.get("nextPageToken");
  const ignoresCursor = hostile !== undefined && hostile !== "creep";
  const offset = token === null || ignoresCursor ? 0 : decodePageToken(token);
  if (offset === null) return invalid("Invalid query parameter 'nextPageToken'.");

  const workflowId = query.get("workflowId");
  const batchId = query.get("batchId");
  // Case-insensitive, as a user typing "invoice" expects to find "Invoice_0412.pdf" (the docs don't say).
  const fileNameNeedle = query.get("fileNameContains")?.toLowerCase() ?? null;
  const field = sortBy as (typeof SORT_FIELDS)[number];
  const direction = sortDir === "asc" ? 1 : -1;

  const selected = [...runs].filter(
    (run) =>
      (status === null || run.status === status) &&
      (workflowId === null || run.workflow.id === workflowId) &&
      (batchId === null || run.batchId === batchId) &&
      (fileNameNeedle === null || run.files.some((file) => file.name.toLowerCase().includes(fileNameNeedle))),
  );
  selected.sort((a, b) => direction * (compare(a[field], b[field]) || compare(a.id, b.id)));

  const end = offset + Math.min(pageSize, clamp);
  const list: WorkflowRunList = {
    object: "list",
    data: selected.slice(offset, end).map(toWorkflowRunSummary),
  };
  if (hostile === "creep") {
    if (offset + 1 < selected.length) list.nextPageToken = encodePageToken(offset + 1);
  } else if (hostile !== undefined) list.nextPageToken = hostileNext(hostile, token);
  else if (end < selected.length) list.nextPageToken = encodePageToken(end);
  return { ok: true, value: list };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// An offset behind base64 keeps clients from building tokens; like the real cursor, it may skip or repeat runs
// if the data or the filters change between pages.
function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64url");
}

function decodePageToken(token: string): number | null {
  try {
    const { offset } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown };
    return Number.isInteger(offset) && (offset as number) >= 0 ? (offset as number) : null;
  } catch {
    return null;
  }
}
