// Unit tests for the row links (src/ui/sidebar/rows.ts, preview-view.ts): a failed "select row" click is
// reported under the list the link is in. Before, one module-level status was overwritten by each list, so a
// click in Check rows' first list reported under the second, and a preview's links reported nowhere.
import { beforeEach, describe, expect, it } from "vitest";
import type { PreviewReport } from "../../../src/core/views/sidebar-api";
import { renderPreviewReport } from "../../../src/ui/sidebar/preview-view";
import { rowList } from "../../../src/ui/sidebar/rows";
import { type FakeElement, installFakeDocument } from "./fake-dom";

const selected: { sheetName: string; row: number }[] = [];

/** google.script.run answering selectRow: rows above 100 are gone. */
function fakeScriptRun(): void {
  const run = {
    success: (_value: unknown): void => undefined,
    withSuccessHandler(handler: (value: unknown) => void) {
      run.success = handler;
      return run;
    },
    withFailureHandler() {
      return run;
    },
    selectRow(sheetName: string, row: number) {
      selected.push({ sheetName, row });
      run.success(
        row > 100
          ? { ok: false, message: `Row ${row} is not in the sheet "${sheetName}" any more.` }
          : { ok: true, value: { sheetName, row } },
      );
    },
  };
  (globalThis as unknown as { google: unknown }).google = { script: { run } };
}

beforeEach(() => {
  installFakeDocument();
  fakeScriptRun();
  selected.length = 0;
});

const asFake = (element: unknown) => element as FakeElement;
const link = (list: FakeElement, row: number) => list.byText("button", `Row ${row}`)[0] as FakeElement;

describe("row links", () => {
  it("report a failed selection under their own list, also when another list was drawn after", async () => {
    const first = asFake(
      rowList("Rows with problems", "Runs", { total: 1, rows: [{ row: 120, runId: "run_1", text: "bad" }] }),
    );
    const second = asFake(
      rowList("Tags Extend will change", "Runs", { total: 1, rows: [{ row: 3, runId: "run_2", text: "t" }] }),
    );
    await link(first, 120).dispatch("click");
    expect(selected).toEqual([{ sheetName: "Runs", row: 120 }]);
    expect(first.textContent).toContain("Row not selected");
    expect(first.textContent).toContain('Row 120 is not in the sheet "Runs" any more.');
    expect(second.textContent).not.toContain("Row not selected");
    await link(second, 3).dispatch("click");
    expect(second.textContent).not.toContain("Row not selected");
  });

  it("report a failed selection in a preview's list", async () => {
    const report: PreviewReport = {
      sheetName: "Runs",
      scopeLabel: "all rows",
      tagMode: "replace",
      changing: {
        total: 1,
        rows: [{ row: 150, runId: "run_1", note: "", lines: [], count: 1, spans: [[150, 150]] }],
      },
      unknown: { total: 0, rows: [] },
      matching: { total: 0, rows: [] },
      unreadable: { total: 0, rows: [] },
    };
    const preview = asFake(renderPreviewReport(report));
    await link(preview, 150).dispatch("click");
    expect(selected).toEqual([{ sheetName: "Runs", row: 150 }]);
    expect(preview.textContent).toContain("Row not selected");
  });
});
