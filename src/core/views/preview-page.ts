// The preview as the menu shows it, in a dialog: the counts, then per row the current and the proposed values.
// Every text from the sheet or Extend is escaped, so a cell can never inject markup.

import type { PreviewList, PreviewReport } from "../jobs/preview-report";
import { TAG_MODE_MEANING } from "../requests/tag-mode";
import { escapeHtml } from "./dry-run";

function rowsTable(title: string, list: PreviewList): string {
  if (list.total === 0) return "";
  const rows = list.rows
    .map((row) => {
      const lines = row.lines
        .map(
          (line) =>
            `<tr class="${line.same ? "same" : "differs"}"><td>${escapeHtml(line.what)}</td><td>${escapeHtml(line.current)}</td><td>${escapeHtml(line.proposed)}</td></tr>`,
        )
        .join("");
      const table = lines
        ? `<table class="values"><thead><tr><th></th><th>Now in Extend</th><th>The row asks for</th></tr></thead><tbody>${lines}</tbody></table>`
        : "";
      return `<li><strong>Row ${row.row}</strong> <code>${escapeHtml(row.runId)}</code>: ${escapeHtml(row.note)}${table}</li>`;
    })
    .join("\n");
  const more = list.total > list.rows.length ? `<p>…and ${list.total - list.rows.length} more rows.</p>` : "";
  return `<h2>${escapeHtml(title)} (${list.total})</h2><ul>${rows}</ul>${more}`;
}

export function renderPreview(report: PreviewReport): string {
  return `<!DOCTYPE html>
<html><head><base target="_top"><style>
body { font: 13px Arial, sans-serif; margin: 12px; }
h2 { font-size: 14px; margin: 16px 0 6px; }
ul { padding-left: 18px; }
li { margin-bottom: 8px; }
table.values { border-collapse: collapse; margin-top: 4px; }
table.values td, table.values th { border-bottom: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
tr.differs td { background: #fff4e5; }
</style></head><body>
<p><strong>Nothing was sent.</strong> Compared with what Extend holds now (sheet "${escapeHtml(report.sheetName)}"):
${report.changing.total} rows would change, ${report.unknown.total} set a Name (which cannot be compared),
${report.matching.total} already match Extend and ${report.unreadable.total} could not be read.</p>
<p>Tag mode: <strong>${report.tagMode}</strong>. ${escapeHtml(TAG_MODE_MEANING[report.tagMode])}</p>
<p>Rows that already match are marked in their hidden Sync State: the next sync with this tag mode reports them
Unchanged and does not send them. The API does not return a run's name, so names are never compared.</p>
${rowsTable("Would change", report.changing)}
${rowsTable("Set a Name", report.unknown)}
${rowsTable("Already in Extend", report.matching)}
${rowsTable("Could not be read", report.unreadable)}
</body></html>`;
}
