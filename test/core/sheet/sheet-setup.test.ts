// Unit tests for src/core/sheet/sheet-setup.ts: what "Set up a sheet" adds, and the notes on the headers.
import { describe, expect, it } from "vitest";
import { OUTPUT_HEADERS } from "../../../src/core/sheet/headers";
import { EXAMPLE_ROW, headerNote, NEW_SHEET_HEADERS, planSetup } from "../../../src/core/sheet/sheet-setup";

describe("planSetup", () => {
  it("gives an empty sheet every header and an example row as wide as the inputs", () => {
    expect(planSetup([], true)).toEqual({ kind: "new", headers: NEW_SHEET_HEADERS });
    expect(NEW_SHEET_HEADERS.slice(0, EXAMPLE_ROW.length)).toEqual([
      "Run ID",
      "Name",
      "metadata.customer",
      "Tags",
    ]);
  });

  it("adds only what a sync sheet lacks, whatever its header spelling", () => {
    expect(planSetup(["run_id", "NAME", "Sync Result", "my notes"], false)).toEqual({
      kind: "existing",
      missing: ["Tags", "Run Status", "Synced At", "Sync Error", "Dashboard Link", "Sync State"],
    });
    expect(planSetup(["Run ID", "Name", "Tags", ...Object.values(OUTPUT_HEADERS)], false)).toEqual({
      kind: "existing",
      missing: [],
    });
  });

  it("leaves a sheet of other data alone", () => {
    expect(planSetup(["Invoice", "Amount"], false)).toEqual({ kind: "other-data" });
  });
});

describe("headerNote", () => {
  it("explains every column the add-on knows and none of the user's own", () => {
    for (const header of NEW_SHEET_HEADERS) expect(headerNote(header)?.length ?? 0).toBeGreaterThan(20);
    expect(headerNote("metadata.poNumber")).toContain('"poNumber"');
    expect(headerNote("my notes")).toBeUndefined();
  });
});
