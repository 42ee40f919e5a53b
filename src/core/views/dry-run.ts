// The dry run: what a sync of all rows would do, row by row, with the exact request bodies and tag changes,
// computed from the same plan a sync uses and shown before anything is sent or written. Metadata cells that
// look like a number or a date written in another locale are flagged on their row, as Check rows does.

import { outcomeText } from "../engine/outcome";
import type { SyncPlan } from "../engine/plan";
import { describeInvalidRow } from "../requests/messages";
import { namesTags, TAG_MODE_MEANING, type TagMode } from "../requests/tag-mode";
import { describeTagChange } from "../requests/tags";
import type { ListedRow } from "./check-view";

/** Rows listed in detail; the counts always cover every row. */
export const DRY_RUN_ROWS_SHOWN = 500;

export interface DryRunRow {
  row: number;
  runId: string;
  action: string;
  detail: string;
  body?: string;
  /** What a metadata cell sent as text may have meant (views/locale-warnings.ts). */
  localeWarning?: string;
}

export interface DryRunReport {
  tagMode: TagMode;
  toSend: number;
  invalid: number;
  unchanged: number;
  noop: number;
  rows: DryRunRow[];
  rowsNotShown: number;
  /** Rows (shown or not) with a metadata cell sent as text although it looks like a number or a date. */
  sentAsText: number;
}

/** What the body's tag list means in a mode that reads the run's tags first. */
const MODE_NOTE: Readonly<Record<TagMode, string>> = {
  replace: "",
  add: "The tags below are added to the run's current tags, read just before the update: the update sends both.",
  remove:
    "The tags below are removed from the run's current tags, read just before the update: the update sends the rest.",
};

export function dryRunReport(
  plan: SyncPlan,
  tagMode: TagMode = "replace",
  sentAsText: readonly ListedRow[] = [],
): DryRunReport {
  const warningOf = new Map(sentAsText.map((warning) => [warning.row, warning.text]));
  const report: DryRunReport = {
    tagMode,
    toSend: 0,
    invalid: 0,
    unchanged: 0,
    noop: 0,
    rows: [],
    rowsNotShown: 0,
    sentAsText: warningOf.size,
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
      const warning = warningOf.get(planned.row);
      if (warning) row.localeWarning = warning;
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

/** "1 row", "2 rows". */
const rowsCounted = (count: number) => `${count} ${count === 1 ? "row" : "rows"}`;

/** A self-contained page; every text from the sheet is escaped, so a cell can never inject markup. */
export function renderDryRun(report: DryRunReport): string {
  const rows = report.rows
    .map(
      (row) =>
        `<tr><td>${row.row}</td><td><code>${escapeHtml(row.runId)}</code></td><td>${escapeHtml(row.action)}</td>` +
        `<td>${escapeHtml(row.detail)}` +
        (row.localeWarning
          ? `<p class="warn"><strong>Check:</strong> ${escapeHtml(row.localeWarning)}</p>`
          : "") +
        `${row.body ? `<pre>${escapeHtml(row.body)}</pre>` : ""}</td></tr>`,
    )
    .join("\n");
  const more =
    report.rowsNotShown > 0
      ? `<p>${report.rowsNotShown} more ${report.rowsNotShown === 1 ? "row is" : "rows are"} counted above but not listed.</p>`
      : "";
  const sentAsText =
    report.sentAsText > 0
      ? `<p class="warn"><strong>Check ${rowsCounted(report.sentAsText)}:</strong> a metadata cell looks like a number or a date written in another format and would be sent as text. Each such row says what will be sent and what to type instead.</p>`
      : "";
  return `<!DOCTYPE html>
<html><head><base target="_top"><style>
body { font: 13px Arial, sans-serif; margin: 12px; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
pre { margin: 4px 0 0; white-space: pre-wrap; }
.warn { margin: 4px 0 0; color: #7a4b00; }
</style></head><body>
<p><strong>Nothing was sent and nothing in the sheet changed.</strong> A sync of all rows now would send
${rowsCounted(report.toSend)}. Not sent: ${report.invalid} invalid, ${report.unchanged} unchanged since the last sync, ${report.noop} with nothing to change.</p>
${sentAsText}
<p>Tag mode: <strong>${report.tagMode}</strong>. ${escapeHtml(TAG_MODE_MEANING[report.tagMode])}</p>
<table><thead><tr><th>Row</th><th>Run ID</th><th>What the sync would do</th><th>Details and request body</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${more}
</body></html>`;
}
