// Properties of header mapping (fast-check): any row 1 maps or says why without throwing; columns are found by
// name wherever they stand; no two roles share a column; inputs and outputs never overlap.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inputColumnIndexes, mapHeaders, OUTPUT_COLUMNS } from "../../../src/core/sheet/headers";
import { USAGE_TAGS_KEY } from "../../../src/extend/api";
import { headerCell, validishHeader } from "../arbitraries";

describe("mapHeaders", () => {
  it("maps any header row or names its problems, and never puts two roles in one column", () => {
    fc.assert(
      fc.property(fc.array(headerCell, { maxLength: 14 }), (header) => {
        const result = mapHeaders(header);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          return;
        }
        const { columns } = result;
        const inputs = inputColumnIndexes(columns);
        const outputs = OUTPUT_COLUMNS.flatMap((column) => {
          const index = columns.output[column];
          return index === undefined ? [] : [index];
        });
        const all = [...inputs, ...outputs];
        expect(new Set(all).size).toBe(all.length);
        for (const index of all) {
          expect(index).toBeGreaterThanOrEqual(0);
          expect(index).toBeLessThan(header.length);
        }
        const keys = columns.metadata.map((column) => column.key);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys).not.toContain(USAGE_TAGS_KEY);
        for (const { key, index } of columns.metadata) {
          expect(key).not.toBe("");
          expect(String(header[index]).trim().toLowerCase().startsWith("metadata.")).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("finds the same columns by name whatever their order", () => {
    fc.assert(
      fc.property(
        validishHeader.chain((header) =>
          fc.tuple(fc.constant(header), fc.shuffledSubarray(header, { minLength: header.length })),
        ),
        ([header, shuffled]) => {
          const before = mapHeaders(header);
          const after = mapHeaders(shuffled);
          expect(after.ok).toBe(before.ok);
          if (!before.ok || !after.ok) return;
          const named = (cells: typeof header, index: number | undefined) =>
            index === undefined ? undefined : String(cells[index]);
          expect(named(shuffled, after.columns.runId)).toBe(named(header, before.columns.runId));
          expect(named(shuffled, after.columns.name)).toBe(named(header, before.columns.name));
          expect(named(shuffled, after.columns.tags)).toBe(named(header, before.columns.tags));
          const keys = (map: typeof before.columns) => map.metadata.map((column) => column.key).sort();
          expect(keys(after.columns)).toEqual(keys(before.columns));
          for (const column of OUTPUT_COLUMNS)
            expect(named(shuffled, after.columns.output[column])).toBe(
              named(header, before.columns.output[column]),
            );
        },
      ),
      { numRuns: 300 },
    );
  });
});
