// An undo's work on one run: its rows are the history records of the job it undoes (one run may have several,
// see history.ts: the earliest holds the values before the job, the latest what the job sent last). Per run:
// read the run (GET); if it still holds what the job sent, send the values before (a key the run lacked is sent
// as null: whether Extend then drops the key or keeps null is not documented, and either way the value is
// gone; tags the run lacked are sent as an empty list, the only empty value Extend takes there); if it already holds the values before, nothing of the job is there (never applied, or undone
// already): Unchanged; otherwise someone changed it since, and it is left alone and reported with both values
// (CHANGED_SINCE), so another person's later change is never overwritten. The undo's own POST carries its
// record, so an undo can itself be undone.
import { type JsonValue, type UpdateWorkflowRunBody, USAGE_TAGS_KEY } from "../../extend/api";
import { sameJson } from "../requests/json-walk";
import { buildGetRunRequest, type ConnectionSettings } from "../requests/request";
import type { RunFacts } from "../requests/run-facts";
import { shorten } from "../requests/secrets";
import { type CellValue, cellText } from "../sheet/cell";
import { fitsHistory, HISTORY_TOO_LARGE, type HistoryChange, historyColumns, valuesBefore } from "./history";
import type { RowBefore } from "./outcome";
import { postStep, type Step } from "./steps";

/**
 * What sends a run back to the values before: each key the job set, to its value before; a key the run lacked
 * to null, and the tags the run lacked to an empty list (Extend refuses anything but a list there).
 */
export function restoreBody(change: HistoryChange): UpdateWorkflowRunBody {
  const metadata: Record<string, JsonValue> = {};
  for (const key of Object.keys(change.sent.metadata ?? {})) {
    const had = Object.getOwnPropertyDescriptor(change.before, key) !== undefined;
    metadata[key] = had ? (change.before[key] ?? null) : key === USAGE_TAGS_KEY ? [] : null;
  }
  return { metadata };
}

/** A missing key, null, and for the tags an empty list: the run holds no value there. */
function isEmpty(key: string, value: JsonValue | undefined): boolean {
  return (
    value === undefined ||
    value === null ||
    (key === USAGE_TAGS_KEY && Array.isArray(value) && value.length === 0)
  );
}

/**
 * Whether the run holds every key of `body` as `body` sets it: the tag list exactly (order included), other
 * values as JSON; null is the same as a missing key (Extend may store null or drop the key), and so is an
 * empty tag list.
 */
export function holds(current: Readonly<Record<string, JsonValue>>, body: UpdateWorkflowRunBody): boolean {
  for (const [key, value] of Object.entries(body.metadata ?? {})) {
    const has = Object.getOwnPropertyDescriptor(current, key) !== undefined;
    const now = has ? (current[key] ?? null) : undefined;
    if (isEmpty(key, value)) {
      if (!isEmpty(key, now)) return false;
    } else if (now === undefined || !sameJson(now, value)) return false;
  }
  return true;
}

const SHOWN = 300;

/** The words of a run left alone: what Extend holds now (scrubbed, as read) and what the job had set. */
function changedSince(facts: RunFacts, sent: UpdateWorkflowRunBody): string {
  const setTags = sent.metadata?.[USAGE_TAGS_KEY];
  const others = Object.fromEntries(
    Object.entries(sent.metadata ?? {}).filter(([key]) => key !== USAGE_TAGS_KEY),
  );
  const had = [
    ...(setTags !== undefined ? [`tags ${shorten(JSON.stringify(setTags), SHOWN)}`] : []),
    ...(Object.keys(others).length > 0 ? [`values ${shorten(JSON.stringify(others), SHOWN)}`] : []),
  ].join(", ");
  return `Not undone: the run was changed since that sync. Extend now holds tags ${shorten(
    facts.tagsText === "" ? "(none)" : facts.tagsText,
    SHOWN,
  )} and metadata ${shorten(facts.metadataText, SHOWN)}; the sync had set ${had}. It was left as it is.`;
}

/** The first step of undoing one run: its read, which decides. */
export function undoStep(change: HistoryChange, connection: ConnectionSettings): Step {
  const restore = restoreBody(change);
  const read: Step = {
    request: buildGetRunRequest(change.runId, connection),
    category: "GET",
    needs: ["metadata"],
    next: (facts) => {
      if (holds(facts.metadata, restore)) return { kind: "unchanged" };
      if (!holds(facts.metadata, change.sent))
        return {
          kind: "failed",
          error: { code: "CHANGED_SINCE", message: changedSince(facts, change.sent) },
        };
      const record: HistoryChange = {
        runId: change.runId,
        before: valuesBefore(restore, facts.metadata),
        sent: restore,
      };
      if (!fitsHistory(record))
        return { kind: "failed", error: { code: "HISTORY_TOO_LARGE", message: HISTORY_TOO_LARGE } };
      const update = { runId: change.runId, body: restore, fingerprint: "", tagChanges: [] };
      return postStep(update, restore, connection, () => read, record);
    },
    retryFrom: () => read,
    fail: (error) => ({ kind: "failed", error }),
  };
  return read;
}

function parseObject(text: string): Record<string, JsonValue> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, JsonValue>)
      : undefined;
  } catch {
    return undefined;
  }
}

export const UNREADABLE_RECORD =
  "This history record was edited and can no longer be read, so its run was not undone. Check the run in the Extend dashboard.";

/** A run to undo: its row's state (the earliest record's), and the change to send back. */
export interface RunToUndo {
  runId: string;
  before: RowBefore;
  /** Undefined when one of its records cannot be read (edited): the run is not sent. */
  change?: HistoryChange;
}

/**
 * The undo's rows still marked for it, one per run: the values before from its earliest record, what was sent
 * from its latest (by Time, then by row).
 */
export function runsToUndo(
  header: readonly CellValue[],
  pending: readonly { cells: readonly CellValue[]; before: RowBefore; row: number }[],
  dateToIso: (date: Date) => string,
): RunToUndo[] {
  const columns = historyColumns(header);
  type Entry = { at: number; row: number; change?: HistoryChange; before: RowBefore };
  const byRun = new Map<string, Entry[]>();
  for (const { cells, before, row } of pending) {
    const text = (index: number | undefined) => cellText(cells[index ?? -1] ?? "", dateToIso);
    const at = columns ? cells[columns.Time] : undefined;
    const beforeValues = parseObject(text(columns?.["Values Before"]));
    const sent = parseObject(text(columns?.["Values Sent"]));
    const entry: Entry = { at: at instanceof Date ? at.getTime() : 0, row, before };
    if (beforeValues && sent) entry.change = { runId: before.runId, before: beforeValues, sent };
    const list = byRun.get(before.runId);
    if (list) list.push(entry);
    else byRun.set(before.runId, [entry]);
  }
  const runs: RunToUndo[] = [];
  for (const [runId, entries] of byRun) {
    entries.sort((a, b) => a.at - b.at || a.row - b.row);
    const first = entries[0];
    const last = entries[entries.length - 1];
    if (!first || !last) continue;
    if (!first.change || !last.change || entries.some((entry) => !entry.change)) {
      runs.push({ runId, before: first.before });
      continue;
    }
    runs.push({
      runId,
      before: first.before,
      change: { runId, before: first.change.before, sent: last.change.sent },
    });
  }
  return runs;
}
