// A finished preview in the sidebar: counts, then per row the current and the proposed value of each key the row
// sets and of its tags, each row a link that selects it. Every text from the sheet or Extend is a text node.

import { TAG_MODE_MEANING } from "../../core/requests/tag-mode";
import type { PreviewList, PreviewReport } from "../../core/views/sidebar-api";
import { type Child, h } from "./dom";
import { counted, formatCount } from "./format";
import { rowLink } from "./rows";

function list(title: string, sheetName: string, rows: PreviewList): HTMLElement | null {
  if (rows.total === 0) return null;
  const status = h("div", {});
  const items: Child[] = rows.rows.map((row) =>
    h(
      "li",
      {},
      rowLink(sheetName, row.row, status),
      row.note,
      h("span", { class: "run-id" }, row.runId),
      row.lines.length > 0
        ? h(
            "table",
            { class: "compare", "aria-label": `Row ${row.row}: now in Extend and asked for` },
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
          )
        : null,
    ),
  );
  const more = rows.total - rows.rows.length;
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
      `Tag mode: ${report.tagMode}. ${TAG_MODE_MEANING[report.tagMode]} Rows that already match are marked: the next sync with this mode reports them Unchanged and sends nothing.`,
    ),
    h(
      "div",
      { class: "counts", role: "group", "aria-label": "Comparison counts" },
      ...[
        ["would change", report.changing.total],
        ["set a Name", report.unknown.total],
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
    list("Set a Name (cannot be compared)", report.sheetName, report.unknown),
    list("Already in Extend", report.sheetName, report.matching),
    list("Could not be read", report.sheetName, report.unreadable),
  );
}
