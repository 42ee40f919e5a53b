// The preview as the menu shows it, in a dialog: the counts, then per row the current and the proposed values.
// Every text from the sheet or Extend is escaped, so a cell can never inject markup.

import type { PreviewList, PreviewReport, PreviewRow } from "../jobs/preview-report";
import { TAG_MODE_MEANING } from "../requests/tag-mode";
import { escapeHtml } from "./dry-run";

/** "Row 4" or "Rows 4–40, 42 (38 rows, each the same)". */
function rowsLabel(row: PreviewRow): string {
  if (row.count === 1) return `Row ${row.row}`;
  const spans = row.spans.map(([first, last]) => (first === last ? `${first}` : `${first}–${last}`));
  const named = row.spans.reduce((sum, [first, last]) => sum + last - first + 1, 0);
  if (named < row.count) spans.push("…");
  return `Rows ${spans.join(", ")} (${row.count} rows, each the same)`;
}

function rowsTable(title: string, list: PreviewList): string {
  if (list.total === 0) return "";
  const rows = list.rows
    .map((row) => {
      const lines = row.lines
        .map(
          (line) =>
            `<tr class="${line.same ? "same" : "differs"}"><th scope="row">${escapeHtml(line.what)}</th><td>${escapeHtml(line.current)}</td><td>${escapeHtml(line.proposed)}</td></tr>`,
        )
        .join("");
      const table = lines
        ? `<table class="values"><thead><tr><th scope="col">Field</th><th scope="col">Now in Extend</th><th scope="col">The row asks for</th></tr></thead><tbody>${lines}</tbody></table>`
        : "";
      const runId = row.count === 1 ? ` <code>${escapeHtml(row.runId)}</code>` : "";
      return `<li><strong>${escapeHtml(rowsLabel(row))}</strong>${runId}: ${escapeHtml(row.note)}${table}</li>`;
    })
    .join("\n");
  const listed = list.rows.reduce((sum, row) => sum + row.count, 0);
  const more = list.total > listed ? `<p>…and ${list.total - listed} more rows.</p>` : "";
  return `<h2>${escapeHtml(title)} (${list.total})</h2><ul>${rows}</ul>${more}`;
}

/**
 * `skipped`: the job's counts of rows it did not compare (invalid, among them a selected row whose Run ID is
 * also on another row, and rows with nothing to change).
 */
export function renderPreview(report: PreviewReport, skipped?: { invalid: number; noop: number }): string {
  const notCompared =
    skipped && skipped.invalid + skipped.noop > 0
      ? `<p>${skipped.invalid} invalid ${skipped.invalid === 1 ? "row" : "rows"} and ${skipped.noop} with nothing to change were not compared: <em>Check rows (dry run)</em> says why.</p>`
      : "";
  return `<!DOCTYPE html>
<html><head><base target="_top"><style>
body { font: 13px Arial, sans-serif; margin: 12px; }
h2 { font-size: 14px; margin: 16px 0 6px; }
ul { padding-left: 18px; }
li { margin-bottom: 8px; }
table.values { border-collapse: collapse; margin-top: 4px; }
table.values { table-layout: fixed; width: 100%; }
table.values td, table.values th { border-bottom: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
tr.differs td { background: #fff4e5; }
</style></head><body>
<p><strong>Nothing was sent.</strong> Compared ${escapeHtml(report.scopeLabel)} of the sheet "${escapeHtml(report.sheetName)}" with what Extend holds now:
${report.changing.total} rows would change, ${report.unknown.total} match except for a Name (which cannot be compared),
${report.matching.total} already match Extend and ${report.unreadable.total} could not be read.</p>
${notCompared}
<p>Tag mode: <strong>${report.tagMode}</strong>. ${escapeHtml(TAG_MODE_MEANING[report.tagMode])}</p>
<p>Rows that already match are marked in their hidden Sync State: the next sync with this tag mode reports them
Unchanged and does not send them. The API does not return a run's name, so names are never compared: a row
with a Name is compared on its metadata and tags, and sent anyway. Rows showing exactly the same are grouped.</p>
${rowsTable("Would change", report.changing)}
${rowsTable("Only the Name may differ", report.unknown)}
${rowsTable("Already in Extend", report.matching)}
${rowsTable("Could not be read", report.unreadable)}
</body></html>`;
}
