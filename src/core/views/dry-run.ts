// The dry run: what a sync of all rows would do, row by row, with the exact request bodies and tag changes,
// computed from the same plan a sync uses and shown before anything is sent or written.

import { outcomeText } from "../engine/outcome";
import type { SyncPlan } from "../engine/plan";
import { describeInvalidRow } from "../requests/messages";
import { namesTags, TAG_MODE_MEANING, type TagMode } from "../requests/tag-mode";
import { describeTagChange } from "../requests/tags";

/** Rows listed in detail; the counts always cover every row. */
export const DRY_RUN_ROWS_SHOWN = 500;

export interface DryRunRow {
  row: number;
  runId: string;
  action: string;
  detail: string;
  body?: string;
}

export interface DryRunReport {
  tagMode: TagMode;
  toSend: number;
  invalid: number;
  unchanged: number;
  noop: number;
  rows: DryRunRow[];
  rowsNotShown: number;
}

/** What the body's tag list means in a mode that reads the run's tags first. */
const MODE_NOTE: Readonly<Record<TagMode, string>> = {
  replace: "",
  add: "The tags below are added to the run's current tags, read just before the update: the update sends both.",
  remove:
    "The tags below are removed from the run's current tags, read just before the update: the update sends the rest.",
};

export function dryRunReport(plan: SyncPlan, tagMode: TagMode = "replace"): DryRunReport {
  const report: DryRunReport = {
    tagMode,
    toSend: 0,
    invalid: 0,
    unchanged: 0,
    noop: 0,
    rows: [],
    rowsNotShown: 0,
  };
  for (const planned of plan.rows) {
    let row: DryRunRow | undefined;
    if ("send" in planned.action) {
      report.toSend += 1;
      row = {
        row: planned.row,
        runId: planned.runId,
        action: "Will be sent",
        detail: [
          namesTags(planned.action.send) ? MODE_NOTE[tagMode] : "",
          planned.action.tagChanges.map(describeTagChange).join("; "),
        ]
          .filter((part) => part !== "")
          .join(" "),
        body: JSON.stringify(planned.action.send, null, 2),
      };
    } else if ("outcome" in planned.action) {
      const { outcome } = planned.action;
      if (outcome.kind === "invalid") report.invalid += 1;
      if (outcome.kind === "unchanged") report.unchanged += 1;
      if (outcome.kind === "noop") report.noop += 1;
      row = {
        row: planned.row,
        runId: planned.runId,
        action: `${outcomeText(outcome.kind)}: not sent`,
        detail: outcome.kind === "invalid" ? describeInvalidRow(outcome.errors) : "",
      };
    }
    if (!row) continue;
    if (report.rows.length < DRY_RUN_ROWS_SHOWN) report.rows.push(row);
    else report.rowsNotShown += 1;
  }
  return report;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A self-contained page; every text from the sheet is escaped, so a cell can never inject markup. */
export function renderDryRun(report: DryRunReport): string {
  const rows = report.rows
    .map(
      (row) =>
        `<tr><td>${row.row}</td><td><code>${escapeHtml(row.runId)}</code></td><td>${escapeHtml(row.action)}</td>` +
        `<td>${escapeHtml(row.detail)}${row.body ? `<pre>${escapeHtml(row.body)}</pre>` : ""}</td></tr>`,
    )
    .join("\n");
  const more =
    report.rowsNotShown > 0
      ? `<p>${report.rowsNotShown} more rows are counted above but not listed.</p>`
      : "";
  return `<!DOCTYPE html>
<html><head><base target="_top"><style>
body { font: 13px Arial, sans-serif; margin: 12px; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
pre { margin: 4px 0 0; white-space: pre-wrap; }
</style></head><body>
<p><strong>Nothing was sent and nothing in the sheet changed.</strong> A sync of all rows now would send
${report.toSend} rows; ${report.invalid} are invalid, ${report.unchanged} unchanged and ${report.noop} have nothing to change.</p>
<p>Tag mode: <strong>${report.tagMode}</strong>. ${escapeHtml(TAG_MODE_MEANING[report.tagMode])}</p>
<table><thead><tr><th>Row</th><th>Run ID</th><th>What the sync would do</th><th>Details and request body</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${more}
</body></html>`;
}
