// The playground's sheet as a person uses it, in headless Chromium: fixing an Invalid row by typing and
// syncing again, pasting a block copied from a spreadsheet, adding and deleting rows, loading a CSV file with the
// button, and selecting rows with the keyboard for "Sync selected rows". Every edit goes to the host's sheet
// as a person's edit (not an add-on execution); an axe-core scan of the page finds no violation in each state.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";
import { launchChromium, saveKey } from "./browser.js";

const KEY = "e2e-key-not-secret";
const AXE = join(import.meta.dirname, "../../node_modules/axe-core/axe.min.js");
const ids = seededRunIds(8);
/** A run the stand-in knows that the sheet does not name: what the person types to fix the Invalid row. */
const FIX = ids[7] ?? "";

let browser: Browser;
let playground: Playground;
let folder: string;
/** One page for the whole file, as one person would keep it open: each test goes on from the last. */
let page: Page;
let sidebar: FrameLocator;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "playground-edit-"));
  const csv = join(folder, "runs.csv");
  writeFileSync(
    csv,
    [
      "Run ID,Name,metadata.amount",
      `${ids[0]},First,1`,
      `${ids[1]},Second,2`,
      ",Third (no Run ID yet),3",
      `${ids[3]},Fourth,4`,
      `${ids[4]},Fifth,5`,
    ].join("\n"),
  );
  [browser, playground] = await Promise.all([launchChromium(), startPlayground({ csvPath: csv })]);
  // Clipboard access, so that Ctrl+V pastes what the test put there, as a person's paste would.
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: playground.origin });
  page = await context.newPage();
  await page.goto(playground.url);
  sidebar = page.frameLocator("#sidebar");
  await sidebar.getByRole("tab", { name: "Settings" }).waitFor();
});
afterAll(async () => {
  await browser?.close();
  await playground?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** axe-core's scan of the whole page (the sidebar's frame is its own document) finds nothing. */
async function expectAccessible(): Promise<void> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run({ exclude: [["#sidebar"]] });
    return result.violations;
  });
  expect(violations).toEqual([]);
}

const cell = (row: number, column: number) =>
  page.locator(`#sheet td[data-row="${row}"][data-column="${column}"]`);

/** The text of a sheet cell as the host holds it (1-based row and column; row 1 is the header). */
function hostCell(row: number, column: number): string {
  const snapshot = playground.snapshot();
  return (row === 1 ? snapshot.header : snapshot.rows[row - 2])?.[column - 1] ?? "";
}

function hostColumn(name: string): number {
  return playground.snapshot().header.indexOf(name) + 1;
}

async function syncFromSidebar(button: "Sync all rows" | "Sync selected rows"): Promise<void> {
  await sidebar.getByRole("tab", { name: "Sync" }).click();
  await sidebar.getByRole("button", { name: button, exact: true }).click();
  await sidebar.getByText("Sync finished").waitFor({ timeout: 30_000 });
}

describe("the playground's sheet, edited like a sheet", () => {
  it("fixes an Invalid row by typing its Run ID, and the next sync updates it", async () => {
    await expectAccessible();
    await saveKey(sidebar, KEY);
    await syncFromSidebar("Sync all rows");
    await expect.poll(() => hostCell(4, hostColumn("Sync Result"))).toBe("Invalid");
    const callsBefore = playground.callsRun;

    await cell(4, 1).click();
    await page.keyboard.type(FIX);
    await expectAccessible();
    await page.keyboard.press("Enter");
    await expect.poll(() => hostCell(4, 1)).toBe(FIX);
    // The typed value is the person's: it reached the sheet without any call of the add-on.
    expect(playground.callsRun).toBe(callsBefore);
    // Enter moved the cursor down, as in Sheets.
    await expect.poll(() => page.locator("#sheet td:focus").getAttribute("data-row")).toBe("5");

    await syncFromSidebar("Sync all rows");
    await expect.poll(() => hostCell(4, hostColumn("Sync Result"))).toBe("Updated");
    expect(hostCell(2, hostColumn("Sync Result"))).toBe("Unchanged");
    await expect.poll(() => cell(4, hostColumn("Sync Result")).textContent()).toBe("Updated");
    expect((await playground.standIn.stats()).updatesByRunId[FIX]).toBe(1);
  });

  it("pastes a block copied from a spreadsheet: tab-separated, a quoted cell with a line break, typed as Sheets types it", async () => {
    await cell(2, 2).click();
    const block = 'Renamed first\t10.5\n"Two\nlines"\tTRUE\n';
    await page.evaluate((text) => navigator.clipboard.writeText(text), block);
    await page.keyboard.press("Control+V");
    await expect.poll(() => hostCell(3, 2)).toBe("Two\nlines");
    expect([hostCell(2, 2), hostCell(2, 3), hostCell(3, 3)]).toEqual(["Renamed first", "10.5", "TRUE"]);
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Pasted 4 cells.");
    await expectAccessible();
  });

  it("inserts a row below the selected one and deletes the selected rows", async () => {
    const rowsBefore = playground.snapshot().rows.length;
    await page.getByRole("rowheader", { name: "Row 2", exact: true }).click();
    await page.getByRole("button", { name: "Insert row below" }).click();
    await expect.poll(() => playground.snapshot().rows.length).toBe(rowsBefore + 1);
    expect(hostCell(3, 1)).toBe("");
    expect(hostCell(4, 1)).toBe(ids[1]);
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Inserted 1 row below row 2.");

    // The new row, then the one below it, selected by their numbers and deleted.
    await page.getByRole("rowheader", { name: "Row 3", exact: true }).click();
    await page.getByRole("rowheader", { name: "Row 4", exact: true }).click({ modifiers: ["Shift"] });
    await expect.poll(() => playground.snapshot().selection).toEqual({ first: 3, last: 4 });
    await page.getByRole("button", { name: "Delete selected rows" }).click();
    await expect.poll(() => playground.snapshot().rows.length).toBe(rowsBefore - 1);
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Deleted rows 3 to 4.");
    expect([hostCell(2, 1), hostCell(3, 1)]).toEqual([ids[0], FIX]);
    await expectAccessible();
  });

  it("loads a CSV file of the person's own with the button: Excel's semicolons and byte order mark", async () => {
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Load a CSV file…" }).click();
    const csv = `\uFEFFRun ID;Name;metadata.amount\r\n${ids[5]};"Sixth; from Excel";1250,5\r\n${ids[6]};Seventh;7\r\n`;
    await (await chooser).setFiles({ name: "march.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await expect
      .poll(() => page.getByRole("status").textContent())
      .toBe(
        'Loaded march.csv into a new sheet, "march" (columns separated by semicolons): 2 rows below the header.',
      );
    expect(playground.snapshot().sheetName).toBe("march");
    expect(playground.snapshot().header).toEqual(["Run ID", "Name", "metadata.amount"]);
    expect(playground.snapshot().rows).toEqual([
      [ids[5], "Sixth; from Excel", "1250,5"],
      [ids[6], "Seventh", "7"],
    ]);
    await expect.poll(() => page.locator("#sheet").getAttribute("aria-label")).toBe("Sheet march");
    await expectAccessible();
    // Back to the first sheet for the next test.
    await page.getByRole("button", { name: "Runs", exact: true }).click();
    await expect.poll(() => playground.snapshot().sheetName).toBe("Runs");
  });

  it("selects rows with the keyboard alone, and Sync selected rows sends only those", async () => {
    await expect.poll(() => playground.snapshot().sheetName).toBe("Runs");
    // Row 2's name changed in the paste above and row 4's changes now: only row 4 is selected below.
    await cell(4, 2).click();
    await page.keyboard.type("Fourth, renamed");
    await page.keyboard.press("Enter");
    await expect.poll(() => hostCell(4, 2)).toBe("Fourth, renamed");

    // Into the grid with Tab from the toolbar: one cell is in the tab order, with a visible focus.
    await page.getByRole("button", { name: "Load a CSV file…" }).focus();
    await page.keyboard.press("Tab");
    const focused = page.locator("#sheet :focus");
    await expect.poll(() => focused.getAttribute("role")).toBe("gridcell");
    expect(await focused.evaluate((element) => getComputedStyle(element).outlineStyle)).toBe("solid");
    // To the top row's number, down to row 5's, then Shift+Up twice: rows 3 to 5, whole rows.
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("PageUp");
    for (let step = 0; step < 4; step += 1) await page.keyboard.press("ArrowDown");
    await expect.poll(() => focused.getAttribute("aria-label")).toBe("Row 5");
    await page.keyboard.press("Shift+ArrowUp");
    await page.keyboard.press("Shift+ArrowUp");
    await expect.poll(() => playground.snapshot().selection).toEqual({ first: 3, last: 5 });
    for (const row of ["3", "4", "5"])
      await expect
        .poll(() => page.locator(`#sheet tr[data-row="${row}"]`).getAttribute("aria-selected"))
        .toBe("true");
    await expect
      .poll(() => page.locator('#sheet tr[data-row="2"]').getAttribute("aria-selected"))
      .not.toBe("true");
    await expectAccessible();

    const before = (await playground.standIn.stats()).updatesByRunId;
    await syncFromSidebar("Sync selected rows");
    const after = (await playground.standIn.stats()).updatesByRunId;
    const changed = Object.keys(after).filter((id) => after[id] !== before[id]);
    expect(changed).toEqual([ids[3]]);
    const result = (row: number) => hostCell(row, hostColumn("Sync Result"));
    expect([3, 4, 5].map(result)).toEqual(["Unchanged", "Updated", "Unchanged"]);
  });
});
