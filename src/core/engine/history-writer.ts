// One execution's side of the history: the records of the POSTs it is about to send, appended (and committed)
// before they leave, and their states once their outcomes are written. States go with a records' append once
// there are a batch's worth (each settle reads its rows back, one round trip), with every append while reading
// ahead (appends are then fewer), or on their own at the execution's last write. A kill before then leaves them
// "Sending", which means "maybe applied" and is what a kill between an outcome and its state always left; the
// job settles them when it ends (history.ts, history-settle.ts).
import type { TagMode } from "../requests/tag-mode";
import type { HistoryPort, HistoryRecord, HistorySettle } from "./history";
import type { SyncJob } from "./job";
import { MAX_BATCH_SIZE } from "./pacing";
import type { Clock } from "./ports";
import type { Finished, QueueItem } from "./prepare";

export interface HistoryWriter {
  /** Whether the item's POST has its record in the sheet (or needs none). */
  recorded(item: QueueItem): boolean;
  /** Appends the records of the items that have none yet, committed before it returns. */
  write(items: readonly QueueItem[]): void;
  /** The states of the records whose outcomes are `done`, written later (see above). */
  settle(done: readonly Finished[]): void;
  /** Writes the states still pending: the execution's last write. */
  settleNow(): void;
}

export function historyWriter(input: {
  job: SyncJob;
  tagMode: TagMode;
  clock: Clock;
  history: HistoryPort | undefined;
  rowOf(runId: string): number;
  /** Reading ahead: states go with every append. */
  fewAppends(): boolean;
}): HistoryWriter {
  const { job, tagMode, clock, history } = input;
  // Records appended by this execution, by run id: settled when the run's outcome is written.
  const rowsOfRun = new Map<string, number[]>();
  // The POST steps whose records are in the sheet: written ahead while the pace waits, or just before they leave.
  const recordedSteps = new WeakSet<object>();
  let unsettled: HistorySettle[] = [];
  return {
    recorded: (item) => !item.step.record || recordedSteps.has(item.step),
    write(items) {
      const records: HistoryRecord[] = [];
      const runs: string[] = [];
      for (const item of items) {
        if (!item.step.record || recordedSteps.has(item.step)) continue;
        recordedSteps.add(item.step);
        records.push({
          ...item.step.record,
          jobId: job.id,
          job: job.undoOf ? `undo of ${job.undoOf}` : "sync",
          at: new Date(clock.now()),
          who: job.startedBy,
          sheet: job.sheetName,
          row: input.rowOf(item.runId),
          tagMode: job.undoOf ? "replace" : tagMode,
        });
        runs.push(item.runId);
      }
      if (records.length === 0) return;
      if (!history) throw new Error("history records to write but no history sheet");
      const settles = unsettled.length >= MAX_BATCH_SIZE || input.fewAppends() ? unsettled : [];
      const rows = history.append(records, settles);
      if (settles.length > 0) unsettled = [];
      runs.forEach((runId, index) => {
        const row = rows[index];
        if (row !== undefined) rowsOfRun.set(runId, [...(rowsOfRun.get(runId) ?? []), row]);
      });
    },
    settle(done) {
      for (const { runId, outcome } of done) {
        const rows = rowsOfRun.get(runId);
        if (!rows) continue;
        rowsOfRun.delete(runId);
        const state = outcome.kind === "updated" ? "Applied" : "Not confirmed";
        for (const row of rows) unsettled.push({ row, jobId: job.id, runId, state });
      }
    },
    settleNow() {
      if (unsettled.length > 0) history?.settle(unsettled);
      unsettled = [];
    },
  };
}
