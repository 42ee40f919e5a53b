// Lists of rows (invalid, failed, tag changes), each row a link that selects it in the sheet.
import type { RowList } from "../../core/views/check-view";
import { type Child, h, notice, replaceChildren } from "./dom";
import { counted, formatCount } from "./format";
import { server } from "./server";

/**
 * A link that selects the row in the sheet. A problem selecting it (the row was deleted, the sheet renamed) is
 * reported in `status`, the status element of the list the link is in.
 */
export function rowLink(sheetName: string, row: number, status: HTMLElement): HTMLElement {
  return h(
    "button",
    {
      type: "button",
      class: "row-link",
      title: `Select row ${row} in the sheet`,
      onclick: async () => {
        try {
          const reply = await server.selectRow(sheetName, row);
          if (reply.ok) replaceChildren(status);
          else replaceChildren(status, notice("error", "Row not selected", reply.message));
        } catch {
          // Selecting is a convenience; the row number is on screen anyway.
        }
      },
    },
    `Row ${row}`,
  );
}

export function rowList(title: string, sheetName: string, list: RowList): HTMLElement | null {
  if (list.total === 0) return null;
  const status = h("div", {});
  const items: Child[] = list.rows.map((entry) =>
    h(
      "li",
      {},
      rowLink(sheetName, entry.row, status),
      entry.text,
      entry.runId ? h("span", { class: "run-id" }, entry.runId) : null,
    ),
  );
  const more = list.total - list.rows.length;
  return h(
    "div",
    {},
    h("h2", {}, `${title} (${formatCount(list.total)})`),
    h("ul", { class: "rows" }, ...items),
    more > 0
      ? h(
          "p",
          { class: "more" },
          `…and ${counted(more, "more row", "more rows")}: filter the sheet to see them all.`,
        )
      : null,
    status,
  );
}
