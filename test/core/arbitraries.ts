// fast-check generators of what a sheet can hand the core: header rows (valid and not) and cells of every type
// Range.getValues returns, with the texts users really type and the ones that break parsers: unicode,
// formula-looking text, #CLEAR, json: with good and bad JSON, huge strings, odd numbers and dates, and run ids
// that repeat or are not ids at all.
import fc from "fast-check";
import type { ParseContext } from "../../src/core/requests/rows";
import type { CellValue } from "../../src/core/sheet/cell";
import { OUTPUT_COLUMN_NAMES } from "../support/columns";

/** Like the adapter's formatter (ISO 8601, plain date at midnight), total even for an invalid Date. */
export const parseContext: ParseContext = {
  dateToIso: (date) => {
    if (Number.isNaN(date.getTime())) return "Invalid Date";
    const iso = date.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : `${iso.slice(0, 19)}+00:00`;
  },
};

const unicodeText = fc.string({ unit: "binary", maxLength: 40 });
const formulaLooking = fc
  .tuple(fc.constantFrom("=", "+", "-", "@", "\t", "\r", "'", "=="), unicodeText)
  .map(([lead, rest]) => lead + rest);
const clearToken = fc.constantFrom("#CLEAR", "#clear", "  #Clear ", "#CLEAR!", "#CLEARED");
const jsonCell = fc.oneof(
  fc.json({ maxDepth: 3 }).map((json) => `json:${json}`),
  fc.json({ maxDepth: 2 }).map((json) => ` JSON: ${json} `),
  unicodeText.map((text) => `json:${text}`),
  fc.constantFrom("json:", "json:{", "json:[1,", 'json:{"a":}', "json:undefined", "json:NaN"),
);
/** Longer than a cell holds, or than Extend's 10 KB of metadata. */
const hugeText = fc
  .tuple(fc.integer({ min: 9_000, max: 60_000 }), fc.constantFrom("x", "é", "😀", "=", " ,"))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));
const tagsText = fc
  .array(fc.oneof(unicodeText, fc.stringMatching(/^[A-Za-z0-9_ -]{0,12}$/), fc.constantFrom("", " ", ",")), {
    maxLength: 8,
  })
  .chain((tags) => fc.constantFrom(",", "\n", ", ", "\r\n", ";").map((separator) => tags.join(separator)));
const oddNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1e308, 5e-324),
  fc.integer(),
);
const anyDate = fc.date({ noInvalidDate: false });
const formulaError = fc.constantFrom(
  "#N/A",
  "#REF!",
  " #value! ",
  "#DIV/0!",
  "#NAME?",
  "#ERROR!",
  "Loading...",
);

/** Run ids: well formed, other run kinds, dots and slashes, spaces, too long, empty. */
export const runIdText = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^workflow_run_[A-Za-z0-9_-]{1,24}$/) },
  { weight: 1, arbitrary: fc.constantFrom("exr_abc", "pr_1", "clr_x", "splr_y", "edr_z", "workflow_run_") },
  { weight: 1, arbitrary: fc.constantFrom(".", "..", "batch", "a/b", "%2F", "?x=1", "#frag", "a\\b", "ü") },
  { weight: 1, arbitrary: unicodeText },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 200, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "  ", " workflow_run_padded  ", "workflow_run_a b") },
);

export const cellValue: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 8, arbitrary: unicodeText },
  { weight: 3, arbitrary: formulaLooking },
  { weight: 1, arbitrary: clearToken },
  { weight: 3, arbitrary: jsonCell },
  { weight: 1, arbitrary: hugeText },
  { weight: 3, arbitrary: tagsText },
  { weight: 4, arbitrary: oddNumber },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: anyDate },
  { weight: 1, arbitrary: formulaError },
  { weight: 8, arbitrary: fc.constant("") },
);

const metadataKey = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,10}$/),
  unicodeText,
  fc.constantFrom("__proto__", "constructor", "toString", "extend:usage_tags", "", " ", "a.b"),
);

/** One header cell: the fixed names in their accepted spellings, metadata columns, outputs, and anything else. */
export const headerCell: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom("Name", "run name", "Tags", "Usage-Tags") },
  { weight: 1, arbitrary: fc.constantFrom("Run ID", "run_id", "RUNID", "Workflow Run ID") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...OUTPUT_COLUMN_NAMES),
  },
  { weight: 4, arbitrary: metadataKey.map((key) => `metadata.${key}`) },
  { weight: 1, arbitrary: metadataKey.map((key) => ` METADATA.${key} `) },
  { weight: 2, arbitrary: unicodeText },
  { weight: 1, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.oneof(oddNumber, fc.boolean(), anyDate) },
);

/** A header row that usually maps: Run ID, some of the known columns in any order, and a few random ones. */
export const validishHeader = fc
  .tuple(
    fc.shuffledSubarray(
      [
        "Name",
        "Tags",
        "metadata.customer",
        "metadata.Amount",
        "metadata.__proto__",
        "metadata.notes",
        "Sync Result",
        "Sync Error",
        "Sync State",
        "My own column",
      ],
      { minLength: 1 },
    ),
    fc.array(headerCell, { maxLength: 2 }),
    fc.nat(10),
  )
  .map(([known, random, at]) => {
    const cells: CellValue[] = [...known, ...random].filter(
      (cell) => !/^\s*run[\s_-]*id\s*$/i.test(String(cell)),
    );
    cells.splice(at % (cells.length + 1), 0, "Run ID");
    return cells;
  });

/** A sheet: a header row (valid or not) and rows of random cells; most run ids distinct, some repeated. */
export const sheetValues = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: validishHeader },
      { weight: 1, arbitrary: fc.array(headerCell, { maxLength: 8 }) },
    ),
    fc.uniqueArray(runIdText, { minLength: 1, maxLength: 10 }),
  )
  .chain(([header, ids]) => {
    const width = Math.max(1, header.length);
    const runIdAt = header.findIndex((cell) => /^\s*run[\s_-]*id\s*$/i.test(String(cell)));
    const cells = fc.array(cellValue, { minLength: width, maxLength: width });
    return fc
      .tuple(
        fc.array(cells, { minLength: ids.length, maxLength: ids.length }),
        fc.option(fc.nat(ids.length - 1)),
      )
      .map(([rows, repeated]) => {
        const body = rows.map((row, index) => {
          if (runIdAt >= 0) row[runIdAt] = ids[index] ?? "";
          return row;
        });
        // Sometimes one run id on a second row.
        if (repeated !== null && runIdAt >= 0) {
          const copy = [...(body[repeated] ?? [])];
          body.push(copy);
        }
        return [header as CellValue[], ...body];
      });
  });
