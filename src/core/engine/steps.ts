// A row's work as a chain of steps: each step is one request, in the rate category Extend limits it by (GET or
// WRITE), and a function from the run it answered with to the next step or the row's outcome. An update is one
// step (POST); adding or removing tags is two (GET the run's tags, then POST the union or difference); a refresh
// or a preview is one GET. When a step fails in a way worth retrying, the row starts again from the step
// `retryFrom` names: for add and remove that is the read, so a stale tag list is never posted twice.
//
// Each step names what it needs of the run Extend answers with, beyond its id and status; an answer without it
// is unreadable (BAD_RESPONSE: retried, then Failed), never taken as a run with nothing there:
// - the add or remove read needs `metadata`, whose tag list it sends back (not a list of texts: UNUSABLE_TAGS);
// - a preview and a refresh need `metadata` and `usage`: they write the tags, metadata and credits they read;
// - an update's answer needs only its status: it writes the read-only columns from the run it returned only
//   when that run has both, and otherwise leaves them as the last refresh wrote them (with that refresh's time).
//
// With history kept (history.ts), every update reads the run first, the replace mode too, and its POST step
// carries the record of what it changes: the engine writes that record before the POST leaves. A row whose read
// fails is not sent, and neither is one whose before-values would not fit the history sheet.
import { type UpdateWorkflowRunBody, USAGE_TAGS_KEY } from "../../extend/api";
import type { SyncError } from "../requests/classify";
import { compareWithRun } from "../requests/compare";
import {
  buildGetRunRequest,
  buildUpdateRequest,
  type ConnectionSettings,
  type HttpRequest,
} from "../requests/request";
import type { RunFacts, RunField } from "../requests/run-facts";
import { combineTags, type TagMode, UNUSABLE_CURRENT_TAGS } from "../requests/tag-mode";
import type { TagChange } from "../requests/tags";
import { fitsHistory, HISTORY_TOO_LARGE, type HistoryChange, valuesBefore } from "./history";
import type { RowOutcome } from "./outcome";

/** Extend limits reads and writes apart (reference §3), so each is paced at the configured rate on its own. */
export type RateCategory = "GET" | "WRITE";

export interface Step {
  request: HttpRequest;
  category: RateCategory;
  /** What the answer must hold for `next` (see the file's header); without it the answer is unreadable. */
  needs: readonly RunField[];
  /** What a successful answer leads to: another step, or the row's outcome. */
  next(facts: RunFacts, answeredAt: Date): Step | RowOutcome;
  /** A POST's record for the history, written before the POST leaves; absent when history is not kept. */
  record?: HistoryChange;
  /** The step a retryable failure starts again from. */
  retryFrom(): Step;
  /** The row's outcome when this step failed for good. */
  fail(error: SyncError): RowOutcome;
}

export function isStep(value: Step | RowOutcome): value is Step {
  return "request" in value;
}

/** What an update of one row sends, as planned from the row. */
export interface PlannedUpdate {
  runId: string;
  body: UpdateWorkflowRunBody;
  fingerprint: string;
  tagChanges: TagChange[];
}

function updateFailed(error: SyncError): RowOutcome {
  return { kind: "failed", error };
}

function readFailed(error: SyncError): RowOutcome {
  return { kind: "read failed", error };
}

export function postStep(
  update: PlannedUpdate,
  body: UpdateWorkflowRunBody,
  connection: ConnectionSettings,
  retryFrom?: () => Step,
  record?: HistoryChange,
): Step {
  const step: Step = {
    ...(record ? { record } : {}),
    request: buildUpdateRequest(update.runId, body, connection),
    category: "WRITE",
    needs: [],
    next: (facts, answeredAt) => {
      const outcome: RowOutcome = {
        kind: "updated",
        runStatus: facts.status,
        syncedAt: answeredAt,
        fingerprint: update.fingerprint,
        tagChanges: update.tagChanges,
      };
      if (facts.unreadable.length === 0) outcome.facts = facts;
      if (facts.dashboardUrl) outcome.dashboardUrl = facts.dashboardUrl;
      return outcome;
    },
    retryFrom: retryFrom ?? (() => step),
    fail: updateFailed,
  };
  return step;
}

/**
 * Reads the run, then posts the row's values; in the add and remove modes with the union or difference of the
 * tags. With history kept, the POST carries the record of the run's values before. A write that fails in a
 * retryable way (or whose answer was lost) goes back to the read.
 */
function readThenPostStep(
  mode: TagMode,
  update: PlannedUpdate,
  named: readonly string[] | undefined,
  connection: ConnectionSettings,
  keepHistory: boolean,
): Step {
  const read: Step = {
    request: buildGetRunRequest(update.runId, connection),
    category: "GET",
    needs: ["metadata"],
    next: (facts) => {
      let body = update.body;
      if (mode !== "replace" && named) {
        if (!facts.tags)
          return { kind: "failed", error: { code: "UNUSABLE_TAGS", message: UNUSABLE_CURRENT_TAGS } };
        const metadata = {
          ...(update.body.metadata ?? {}),
          [USAGE_TAGS_KEY]: combineTags(mode, facts.tags, named),
        };
        body = { ...update.body, metadata };
      }
      if (!keepHistory) return postStep(update, body, connection, () => read);
      const record: HistoryChange = {
        runId: update.runId,
        before: valuesBefore(body, facts.metadata),
        sent: body,
      };
      if (!fitsHistory(record))
        return { kind: "failed", error: { code: "HISTORY_TOO_LARGE", message: HISTORY_TOO_LARGE } };
      return postStep(update, body, connection, () => read, record);
    },
    retryFrom: () => read,
    fail: updateFailed,
  };
  return read;
}

/**
 * The first step of an update under the tag mode. Without history, rows that name no tags are one POST in every
 * mode, and so is every row of the replace mode; with history every row is read first.
 */
export function updateSteps(
  update: PlannedUpdate,
  mode: TagMode,
  connection: ConnectionSettings,
  keepHistory = false,
): Step {
  const value = update.body.metadata?.[USAGE_TAGS_KEY];
  const named = Array.isArray(value)
    ? value.filter((tag): tag is string => typeof tag === "string")
    : undefined;
  if (!keepHistory && (mode === "replace" || !named)) return postStep(update, update.body, connection);
  return readThenPostStep(mode, update, named, connection, keepHistory);
}

/** What a read writes into the read-only columns: the tags and metadata, and the credits. */
const READ_NEEDS: readonly RunField[] = ["metadata", "usage"];

/** A refresh: read the run. */
export function refreshStep(runId: string, connection: ConnectionSettings): Step {
  const step: Step = {
    request: buildGetRunRequest(runId, connection),
    category: "GET",
    needs: READ_NEEDS,
    next: (facts, answeredAt) => ({ kind: "refreshed", facts, readAt: answeredAt }),
    retryFrom: () => step,
    fail: readFailed,
  };
  return step;
}

/** A preview: read the run and compare it with what the row's update would ask for. */
export function previewStep(update: PlannedUpdate, mode: TagMode, connection: ConnectionSettings): Step {
  const step: Step = {
    request: buildGetRunRequest(update.runId, connection),
    category: "GET",
    needs: READ_NEEDS,
    next: (facts, answeredAt) => ({
      kind: "previewed",
      facts,
      readAt: answeredAt,
      verdict: compareWithRun(update.body, mode, facts.metadata).verdict,
      fingerprint: update.fingerprint,
    }),
    retryFrom: () => step,
    fail: readFailed,
  };
  return step;
}
