// "Credits by usage tag", for finance: from the runs a refresh (or an import with current values) just read,
// the number of runs and their credits per usage tag and for untagged runs, summed exactly, with the time of the
// read and how many runs gave no usage figure. It reports what the runs say and nothing more: whether re-tagging
// re-attributes credits already billed is not documented.

import { decodeRowState } from "../../engine/row-state";
import { NOT_A_TAG_LIST } from "../../requests/run-facts";
import { type CellValue, cellText, textCell } from "../../sheet/cell";
import { mapHeaders } from "../../sheet/headers";
import { ExactSum } from "./decimal";

export const CREDITS_SHEET = "Extend Credits by Tag";
export const UNTAGGED = "(untagged)";
export const CREDITS_HEADERS = ["Usage Tag", "Runs", "Credits", "Runs Without Usage"] as const;

export const CREDITS_DISCLAIMER =
  "Credits are each run's usage.credits as Extend reported it at the time of the read. Every line counts runs, not rows: a run on several rows counts once. A run with several tags is counted under each of them, so the tag rows can add up to more than the total. Runs without a usage figure are those Extend gave no usage for (Extend gives none for runs from before 7 October 2025, or on legacy billing): they are counted in Runs but add no credits. Runs whose answer could not be read are left out and counted apart. Sums are exact; a sum with more digits than a spreadsheet number keeps (15) is written as text, so no digit is lost. Whether changing a run's tags moves credits already billed from one tag to another is not documented by Extend: this sheet reports what the runs say and claims nothing more.";

export interface CreditsRun {
  runId: string;
  /** The run's usage tags as read. */
  tags: readonly string[];
  /** usage.credits, or null when the run gave none. */
  credits: number | null;
}

interface TagTotal {
  runs: number;
  withoutUsage: number;
  credits: ExactSum;
}

export interface CreditsSummaryInput {
  runs: readonly CreditsRun[];
  readAt: Date;
  /** Where the runs came from, e.g. 'rows 2-120 of sheet "Runs"'. */
  source: string;
  /** Runs (distinct run ids) that could not be read (their rows show why); they are left out. */
  unreadable: number;
  /** The sheet the runs were read from: a summary is only ever replaced by one of the same sheet. */
  sourceSheetId?: number;
}

/** The label of the summary's line naming its source sheet by id (names change; ids do not). */
export const SOURCE_SHEET_ID_LABEL = "Source sheet ID";

/**
 * Whether a summary sheet's values (columns A and B) were made from this source sheet, so a new summary of it
 * may replace them. One from before the id line was kept is recognised by the sheet's name in its From line.
 */
export function summaryCovers(
  values: readonly (readonly CellValue[])[],
  source: { sheetId: number; sheetName: string },
): boolean {
  let from: string | undefined;
  for (const [label, value] of values) {
    if (label === SOURCE_SHEET_ID_LABEL) return Number(value) === source.sheetId;
    if (label === "From") from = String(value ?? "");
  }
  return from?.endsWith(`the sheet "${source.sheetName}"`) === true;
}

function newTotal(): TagTotal {
  return { runs: 0, withoutUsage: 0, credits: new ExactSum() };
}

function addRun(total: TagTotal, credits: number | null): void {
  total.runs += 1;
  if (credits === null) total.withoutUsage += 1;
  else total.credits.add(credits);
}

/** The summary sheet's values, top to bottom: the table, then the facts of the read and the disclaimer. */
export function creditsSummary(input: CreditsSummaryInput): CellValue[][] {
  const byTag = new Map<string, TagTotal>();
  const untagged = newTotal();
  const all = newTotal();
  // One run once, even when several rows carry its id.
  const seen = new Set<string>();
  for (const run of input.runs) {
    if (seen.has(run.runId)) continue;
    seen.add(run.runId);
    addRun(all, run.credits);
    const tags = [...new Set(run.tags)];
    if (tags.length === 0) addRun(untagged, run.credits);
    for (const tag of tags) {
      let total = byTag.get(tag);
      if (!total) {
        total = newTotal();
        byTag.set(tag, total);
      }
      addRun(total, run.credits);
    }
  }
  const tagRows = [...byTag.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((tag) => row(textCell(tag), byTag.get(tag) ?? newTotal()));
  const values: CellValue[][] = [[...CREDITS_HEADERS], ...tagRows, row(UNTAGGED, untagged)];
  values.push(row("All runs read", all));
  const facts: CellValue[][] = [
    [""],
    ["Read from Extend at", input.readAt],
    ["Runs read", all.runs],
    ["Runs without a usage figure", all.withoutUsage],
    ["Runs that could not be read (left out)", input.unreadable],
    ["From", textCell(input.source)],
    ...(input.sourceSheetId === undefined ? [] : [[SOURCE_SHEET_ID_LABEL, input.sourceSheetId]]),
    [""],
    [CREDITS_DISCLAIMER],
  ];
  return [...values, ...facts].map((cells) => pad(cells, CREDITS_HEADERS.length));
}

function row(label: string, total: TagTotal): CellValue[] {
  const credits = total.credits.toCellValue();
  // Text as text: written bare, Sheets would read the digits back as a number and round them.
  return [label, total.runs, typeof credits === "string" ? textCell(credits) : credits, total.withoutUsage];
}

function pad(cells: CellValue[], width: number): CellValue[] {
  const padded = cells.slice();
  while (padded.length < width) padded.push("");
  return padded;
}

/** Tags as the Current Tags cell shows them ("a, b"), back to a list. */
export function tagsFromCell(value: CellValue, dateToIso: (date: Date) => string): string[] {
  const text = cellText(value, dateToIso);
  if (text === "" || text.startsWith(NOT_A_TAG_LIST)) return [];
  return text
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
}

/** The Credits cell back to a number, or null when it is empty (no usage figure). */
export function creditsFromCell(value: CellValue): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

/**
 * The runs a finished refresh `syncId` read: every row it marked done whose read did not fail, and how many
 * runs (not rows: a run on three rows was read once) could not be read.
 */
export function creditsRuns(
  values: readonly (readonly CellValue[])[],
  syncId: string,
  dateToIso: (date: Date) => string,
): { runs: CreditsRun[]; unreadable: number } {
  const runs: CreditsRun[] = [];
  const unreadable = new Set<string>();
  const headers = mapHeaders(values[0] ?? []);
  if (!headers.ok) return { runs, unreadable: 0 };
  const { runId, output, read } = headers.columns;
  if (output.state === undefined) return { runs, unreadable: 0 };
  for (let index = 1; index < values.length; index++) {
    const cells = values[index] ?? [];
    if (decodeRowState(cells[output.state]).doneSync !== syncId) continue;
    const id = cellText(cells[runId] ?? "", dateToIso);
    const error = read.refreshError === undefined ? "" : cellText(cells[read.refreshError] ?? "", dateToIso);
    if (error !== "") {
      unreadable.add(id);
      continue;
    }
    runs.push({
      runId: id,
      tags: read.currentTags === undefined ? [] : tagsFromCell(cells[read.currentTags] ?? "", dateToIso),
      credits: read.credits === undefined ? null : creditsFromCell(cells[read.credits] ?? ""),
    });
  }
  // A run read on one row and not on another (a row the user changed meanwhile) was read: it is in the table.
  for (const run of runs) unreadable.delete(run.runId);
  return { runs, unreadable: unreadable.size };
}
