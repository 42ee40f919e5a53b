// The Check rows tab: counts, every tag cleaning changes, every invalid row (each selectable), the request body
// of any row on demand, "Compare with Extend" (a preview job; its progress and report go in #preview-area) and
// "Set up a sheet". Checks use the tag mode chosen in the Sync tab.

import { TAG_MODE_MEANING } from "../../core/requests/tag-mode";
import type { CheckRowsView, TagMode } from "../../core/views/sidebar-api";
import { focusOn, h, notice, replaceChildren, showResult } from "./dom";
import { formatCount } from "./format";
import { rowList } from "./rows";
import { callFailure, server } from "./server";

function count(label: string, value: number, tone?: "good" | "bad"): HTMLElement {
  return h(
    "div",
    { class: tone ? `count ${tone}` : "count" },
    h("b", { class: "count-value" }, formatCount(value)),
    h("span", { class: "count-label" }, label),
  );
}

export function renderCheck(area: HTMLElement, view: CheckRowsView): void {
  const { counts } = view;
  replaceChildren(
    area,
    h("p", { class: "hint" }, `Sheet "${view.sheetName}". Nothing was sent.`),
    h(
      "p",
      { class: "hint" },
      `Tag mode: ${view.tagMode} (chosen in the Sync tab). ${TAG_MODE_MEANING[view.tagMode]}`,
    ),
    h(
      "div",
      { class: "counts", role: "group", "aria-label": "Row counts" },
      count("to send", counts.toSend, "good"),
      count("invalid", counts.invalid, counts.invalid > 0 ? "bad" : undefined),
      count("unchanged", counts.unchanged),
      count("nothing to change", counts.noop),
    ),
    rowList("Rows with problems", view.sheetName, view.invalid),
    rowList("Tags Extend will change", view.sheetName, view.tagChanges),
    // Older servers do not send this list.
    view.sentAsText && view.sentAsText.total > 0
      ? h(
          "div",
          {},
          h(
            "p",
            { class: "hint" },
            "These values look like numbers or dates but are text in this sheet, so they are sent as text. The sync still sends them.",
          ),
          rowList("Values sent as text", view.sheetName, view.sentAsText),
        )
      : null,
    counts.invalid === 0 && view.tagChanges.total === 0
      ? notice("ok", "Every row is ready", "Open the Sync tab to send them.")
      : null,
  );
}

/** Runs a button's work with the button disabled, then moves focus to the result drawn in `area`. */
async function withButton(
  button: HTMLButtonElement,
  area: HTMLElement,
  work: () => Promise<void>,
): Promise<void> {
  button.disabled = true;
  try {
    await work();
  } finally {
    button.disabled = false;
    focusOn(area.firstElementChild as HTMLElement | null);
  }
}

export function wireCheckPanel(
  tagMode: () => TagMode,
  startPreview: (selectedRowsOnly: boolean) => void,
): void {
  document.getElementById("preview-rows")?.addEventListener("click", () => startPreview(false));
  document.getElementById("preview-selected")?.addEventListener("click", () => startPreview(true));
  const checkButton = document.getElementById("check-rows") as HTMLButtonElement;
  const area = document.getElementById("check-area") as HTMLElement;
  checkButton.addEventListener("click", () =>
    withButton(checkButton, area, async () => {
      showResult(area, h("p", { class: "busy", role: "status" }, "Checking…"));
      try {
        const reply = await server.checkRows(tagMode());
        if (reply.ok) renderCheck(area, reply.value);
        else replaceChildren(area, notice("error", "The rows could not be checked", reply.message));
      } catch (error) {
        replaceChildren(area, notice("error", "The rows could not be checked", callFailure(error)));
      }
    }),
  );

  const bodyButton = document.getElementById("show-body") as HTMLButtonElement;
  const bodyRow = document.getElementById("body-row") as HTMLInputElement;
  const bodyArea = document.getElementById("body-area") as HTMLElement;
  const showBody = () =>
    withButton(bodyButton, bodyArea, async () => {
      const row = Number(bodyRow.value);
      try {
        const reply = await server.rowRequestBody(row, tagMode());
        if (!reply.ok) return replaceChildren(bodyArea, notice("error", "No request body", reply.message));
        const { body, fate, runId } = reply.value;
        replaceChildren(
          bodyArea,
          h("p", {}, h("b", {}, `Row ${reply.value.row}`), ` · ${fate}`),
          h("span", { class: "run-id" }, runId),
          body
            ? h("pre", { class: "body", "aria-label": `Request body of row ${reply.value.row}` }, body)
            : null,
        );
      } catch (error) {
        replaceChildren(bodyArea, notice("error", "No request body", callFailure(error)));
      }
    });
  bodyButton.addEventListener("click", showBody);
  bodyRow.addEventListener("keydown", (event) => {
    if (event.key === "Enter") void showBody();
  });

  const setupButton = document.getElementById("setup-sheet") as HTMLButtonElement;
  const setupArea = document.getElementById("setup-area") as HTMLElement;
  setupButton.addEventListener("click", () =>
    withButton(setupButton, setupArea, async () => {
      try {
        const reply = await server.setUpSheet();
        replaceChildren(
          setupArea,
          reply.ok
            ? notice("ok", "Sheet set up", reply.value.message)
            : notice("error", "The sheet was not set up", reply.message),
        );
      } catch (error) {
        replaceChildren(setupArea, notice("error", "The sheet was not set up", callFailure(error)));
      }
    }),
  );
}
