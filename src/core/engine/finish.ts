// The end of a sync: one last look at the Run ID and Sync State columns to be sure no marked row is left, and
// to name every row still in the sheet that the sync did not sync (its Run ID was changed, its mark was lost, or
// its result could not be written), so the summary never calls such a row "deleted"; to count the rows marked at
// the start that are still there (the others were deleted during the sync); and to count what the rows show the
// job did (src/core/engine/tally.ts).
import { runIdTag } from "../requests/fingerprint";
import { type CellValue, cellText } from "../sheet/cell";
import { MAX_NOT_SYNCED_NAMED, markTag, type NotSyncedRow, type SyncJob } from "./job";
import { decodeRowState, isMarkedBy, isPendingFor } from "./row-state";
import { DoneTally, type SheetTally, withSheetCounts } from "./tally";

export interface FinalScan {
  /** Rows still marked for this sync with their run id: the sync is not done yet. */
  stillPending: number;
  notSynced: NotSyncedRow[];
  /** All rows not synced, including those beyond the named ones. */
  notSyncedCount: number;
  /** Of those, rows that were marked to be sent (and so are not among the deleted ones). */
  markedNotSynced: number;
  /**
   * Rows still in the sheet that were marked to be sent at the start, whatever they show now (written, still
   * marked, their Sync State cleared); undefined when the sync did not remember its marks.
   */
  markedPresent?: number;
  /** What the rows show the sync did (a killed execution may not have counted its last rows). */
  tally: SheetTally;
}

/**
 * `marked` holds the tags of the rows marked to be sent at the start, when the sync remembered them: a row without
 * a mark is then known to have lost it (cleared) or to be new (added); without them, it is only "not marked".
 */
export function scanForLeftovers(
  ids: readonly CellValue[],
  states: readonly CellValue[],
  job: Pick<SyncJob, "id" | "allRows" | "unwritable">,
  dateToIso: (date: Date) => string,
  marked: ReadonlySet<string> | undefined,
): FinalScan {
  const unwritable = new Set(job.unwritable ?? []);
  const done = new DoneTally(job.id);
  const scan: Omit<FinalScan, "tally"> = {
    stillPending: 0,
    notSynced: [],
    notSyncedCount: 0,
    markedNotSynced: 0,
  };
  const add = (row: NotSyncedRow) => {
    scan.notSyncedCount += 1;
    if (row.reason !== "added after start" && row.reason !== "not marked") scan.markedNotSynced += 1;
    if (scan.notSynced.length < MAX_NOT_SYNCED_NAMED) scan.notSynced.push(row);
  };
  let markedPresent = 0;
  /** Run ids on rows this job marked: another row with one of them is a copy the job never marked. */
  const idsOnMarkedRows = new Set<string>();
  /** Rows not synced in row order; an unmarked row carrying a marked id is decided once every row is seen. */
  const found: (NotSyncedRow | { row: number; runId: string; copyOrCleared: true })[] = [];
  const rows = Math.max(ids.length, states.length);
  for (let index = 1; index < rows; index++) {
    const runId = cellText(ids[index] ?? "", dateToIso);
    const state = decodeRowState(states[index]);
    const row = index + 1;
    done.add(state, runId);
    const markedBy = isMarkedBy(state, job.id);
    const idWasMarked = runId !== "" && marked?.has(markTag(runIdTag(runId))) === true;
    if (markedBy) idsOnMarkedRows.add(runId);
    if (state.pendingSync === job.id || (markedBy && idWasMarked)) markedPresent += 1;
    if (isPendingFor(state, job.id, runId)) {
      if (unwritable.has(runIdTag(runId))) found.push({ row, runId, reason: "result not writable" });
      else scan.stillPending += 1;
    } else if (state.pendingSync === job.id) {
      found.push({ row, runId, reason: "run id changed" });
    } else if (runId !== "" && !markedBy) {
      if (idWasMarked) found.push({ row, runId, copyOrCleared: true });
      else if (job.allRows) found.push({ row, runId, reason: marked ? "added after start" : "not marked" });
    }
  }
  // A mark is recognised by its run id alone. While a row the job marked still carries that id, an unmarked
  // row with the same id is a copy the job never marked (outside a selection, or added), never a cleared one.
  for (const entry of found) {
    if (!("copyOrCleared" in entry)) add(entry);
    else if (!idsOnMarkedRows.has(entry.runId)) {
      markedPresent += 1;
      add({ row: entry.row, runId: entry.runId, reason: "state cleared" });
    } else if (job.allRows) add({ row: entry.row, runId: entry.runId, reason: "added after start" });
  }
  return { ...scan, tally: done.result(), ...(marked ? { markedPresent } : {}) };
}

/** The job ended by its final scan, or undefined while rows are still marked for it (the next execution's). */
export function finishedJob(job: SyncJob, scan: FinalScan): SyncJob | undefined {
  if (scan.stillPending > 0) return undefined;
  // A killed execution may have written its last batch without counting it; the sheet's marks say so.
  const counted = withSheetCounts(job, scan.tally);
  // Rows marked at the start and no longer in the sheet. Without the marks, rows written and rows not synced
  // are told apart by count only, which counts twice a row whose Sync State was cleared after it was written.
  const missing = Math.max(
    0,
    scan.markedPresent !== undefined
      ? counted.rowsToSend - scan.markedPresent
      : counted.rowsToSend - (counted.rowsResolved ?? 0) - scan.markedNotSynced,
  );
  return {
    ...counted,
    status: "finished",
    notSynced: scan.notSynced.slice(0, MAX_NOT_SYNCED_NAMED),
    counts: { ...counted.counts, missing, notSynced: scan.notSyncedCount },
  };
}
