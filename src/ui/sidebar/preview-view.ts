// A finished preview in the sidebar: which rows it covered, counts, then per row (or per group of rows showing
// exactly the same) the current and the proposed value of each key the row sets and of its tags, each row a
// link that selects it. Every text from the sheet or Extend is a text node.

import { TAG_MODE_MEANING } from "../../core/requests/tag-mode";
import type { PreviewList, PreviewReport, PreviewRow } from "../../core/views/sidebar-api";
import { type Child, h } from "./dom";
import { counted, formatCount } from "./format";
import { rowLink } from "./rows";

/** "4", "4–40", "4–40, 42" (and "…" when the group has more rows than its spans name). */
function spansText(row: PreviewRow): string {
  const text = row.spans
    .map(([first, last]) => (first === last ? `${first}` : `${first}–${last}`))
    .join(", ");
  const named = row.spans.reduce((sum, [first, last]) => sum + last - first + 1, 0);
  return named < row.count ? `${text}, …` : text;
}

function compareTable(row: PreviewRow, caption: string): HTMLElement {
  return h(
    "table",
    { class: "compare", "aria-label": caption },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Field"),
        h("th", { scope: "col" }, "Now"),
        h("th", { scope: "col" }, "Asked for"),
      ),
    ),
    h(
      "tbody",
      {},
      ...row.lines.map((line) =>
        h(
          "tr",
          { class: line.same ? "same" : "differs" },
          h("th", { scope: "row" }, line.what),
          h("td", {}, line.current),
          h("td", {}, line.proposed),
        ),
      ),
    ),
  );
}

/** One row, or a group of rows that show exactly the same thing: its first row is the link. */
function item(sheetName: string, row: PreviewRow, status: HTMLElement): HTMLElement {
  if (row.count === 1)
    return h(
      "li",
      {},
      rowLink(sheetName, row.row, status),
      row.note,
      h("span", { class: "run-id" }, row.runId),
      row.lines.length > 0 ? compareTable(row, `Row ${row.row}: now in Extend and asked for`) : null,
    );
  const label = `Rows ${spansText(row)}`;
  return h(
    "li",
    { class: "group" },
    h("b", { class: "group-rows" }, `${label} (${counted(row.count, "row", "rows")}), each the same:`),
    " ",
    row.note,
    h("span", { class: "group-first" }, "First: ", rowLink(sheetName, row.row, status)),
    row.lines.length > 0 ? compareTable(row, `${label}: now in Extend and asked for`) : null,
  );
}

function list(title: string, sheetName: string, rows: PreviewList): HTMLElement | null {
  if (rows.total === 0) return null;
  const status = h("div", {});
  const items: Child[] = rows.rows.map((row) => item(sheetName, row, status));
  const listed = rows.rows.reduce((sum, row) => sum + row.count, 0);
  const more = rows.total - listed;
  return h(
    "div",
    {},
    h("h2", {}, `${title} (${formatCount(rows.total)})`),
    h("ul", { class: "rows" }, ...items),
    more > 0 ? h("p", { class: "more" }, `…and ${counted(more, "more row", "more rows")}.`) : null,
    status,
  );
}

export function renderPreviewReport(report: PreviewReport): HTMLElement {
  return h(
    "div",
    { class: "preview" },
    h(
      "p",
      { class: "hint" },
      `Compared ${report.scopeLabel} of the sheet "${report.sheetName}". Tag mode: ${report.tagMode}. ${TAG_MODE_MEANING[report.tagMode]} Rows that already match are marked: the next sync with this mode reports them Unchanged and sends nothing. A row with a Name is never marked, as names cannot be read from Extend.`,
    ),
    h(
      "div",
      { class: "counts", role: "group", "aria-label": "Comparison counts" },
      ...[
        ["would change", report.changing.total],
        ["only the Name may differ", report.unknown.total],
        ["already in Extend", report.matching.total],
        ["could not be read", report.unreadable.total],
      ].map(([label, value]) =>
        h(
          "div",
          { class: "count" },
          h("b", { class: "count-value" }, formatCount(Number(value))),
          h("span", { class: "count-label" }, String(label)),
        ),
      ),
    ),
    list("Would change", report.sheetName, report.changing),
    list("Only the Name may differ", report.sheetName, report.unknown),
    list("Already in Extend", report.sheetName, report.matching),
    list("Could not be read", report.sheetName, report.unreadable),
  );
}
