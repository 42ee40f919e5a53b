// The sheet every benchmark run syncs: one row per seeded stand-in run, with a name, two metadata columns and
// tags, as an operations team would fill it in.
import type { CellValue, GasHost } from "../dev/gas-host/index.js";
import { seededRunIds } from "../dev/stand-in/runs.js";

export const BENCH_SHEET = "Runs";
export const BENCH_HEADER = ["Run ID", "Name", "metadata.customer", "metadata.invoiceTotal", "Tags"];

export function benchRows(count: number): CellValue[][] {
  return seededRunIds(count).map((id, index) => [
    id,
    `Invoice batch ${index}`,
    `customer-${index % 97}`,
    Math.round(index * 13.7 * 100) / 100,
    index % 3 === 0 ? "production, team-ops" : "production",
  ]);
}

/** Puts the benchmark sheet into the host and makes it the active sheet. */
export function loadBenchSheet(host: GasHost, rows: number): void {
  const sheet = host.spreadsheet.addSheet(BENCH_SHEET);
  sheet.setValues("A1", [BENCH_HEADER, ...benchRows(rows)], { raw: true });
  host.spreadsheet.select(BENCH_SHEET, "A1");
}
