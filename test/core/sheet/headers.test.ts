// Unit tests for src/core/sheet/headers.ts: finding columns by header text, aliases, duplicates and column
// letters.
import { describe, expect, it } from "vitest";
import {
  type ColumnMap,
  columnLetter,
  inputColumnIndexes,
  mapHeaders,
  missingOutputColumns,
  normalizeHeader,
  OUTPUT_COLUMNS,
  OUTPUT_HEADERS,
} from "../../../src/core/sheet/headers";
import { OUTPUT_COLUMN_NAMES } from "../../support/columns";

function columnsOf(headerRow: readonly unknown[]): ColumnMap {
  const result = mapHeaders(headerRow);
  if (!result.ok) throw new Error(`expected headers to map: ${result.problems.join(" | ")}`);
  return result.columns;
}

function problemsOf(headerRow: readonly unknown[]): string[] {
  const result = mapHeaders(headerRow);
  if (result.ok) throw new Error("expected header problems");
  return result.problems;
}

const NO_RUN_ID = 'No "Run ID" column: put the header "Run ID" in row 1 above the workflow run ids.';

describe("normalizeHeader", () => {
  it.each([
    ["Run ID", "runid"],
    ["run_id", "runid"],
    ["RUN-ID", "runid"],
    ["  Run \t ID  ", "runid"],
    ["Run__--  ID", "runid"],
    ["Workflow Run ID", "workflowrunid"],
    ["Sync Result", "syncresult"],
    ["", ""],
  ])("%j -> %j", (header, expected) => {
    expect(normalizeHeader(header)).toBe(expected);
  });
});

describe("mapHeaders: Run ID spellings", () => {
  it.each([
    "Run ID",
    "run id",
    "RUN ID",
    "RunID",
    "run_id",
    "run-id",
    "Run - ID",
    " Run ID ",
    "Workflow Run ID",
    "workflow_run_id",
    "WORKFLOW-RUN-ID",
  ])("%j is the Run ID column", (header) => {
    expect(columnsOf(["Other", header]).runId).toBe(1);
  });

  it.each(["Run", "ID", "Run IDs", "Run.ID", "RunIdentifier", "metadata.runId"])(
    "%j is not a Run ID column",
    (header) => {
      expect(problemsOf([header])).toEqual([NO_RUN_ID]);
    },
  );
});

describe("mapHeaders: Name and Tags aliases", () => {
  it.each([
    ["Name", "name"],
    ["NAME", "name"],
    ["Run Name", "name"],
    ["run_name", "name"],
    ["run-name", "name"],
    ["Tags", "tags"],
    ["tags", "tags"],
    ["Usage Tags", "tags"],
    ["usage_tags", "tags"],
    ["USAGE-TAGS", "tags"],
  ] as const)("%j maps to %s", (header, slot) => {
    const columns = columnsOf(["Run ID", header]);
    expect(columns[slot]).toBe(1);
  });

  it("leaves optional columns undefined and ignores unknown headers", () => {
    const columns = columnsOf(["Notes", "Run ID", "", "Customer"]);
    expect(columns).toEqual({ runId: 1, metadata: [], output: {}, read: {} });
    expect("name" in columns).toBe(false);
    expect("tags" in columns).toBe(false);
  });

  it("maps a full, reordered sheet", () => {
    const columns = columnsOf([
      "Tags",
      "Sync Error",
      "metadata.Customer",
      "Run ID",
      "Name",
      "Sync Result",
      "metadata.amount",
    ]);
    expect(columns).toEqual({
      runId: 3,
      name: 4,
      tags: 0,
      metadata: [
        { key: "Customer", index: 2 },
        { key: "amount", index: 6 },
      ],
      output: { error: 1, result: 5 },
      read: {},
    });
  });

  it("treats non-text header cells as their text", () => {
    expect(columnsOf([42, null, undefined, true, "Run ID"]).runId).toBe(4);
  });
});

describe("mapHeaders: metadata columns keep the key's case", () => {
  it.each([
    ["metadata.Customer", "Customer"],
    ["metadata.customer", "customer"],
    ["Metadata.Customer", "Customer"],
    ["METADATA.invoice_ID", "invoice_ID"],
    ["metadata.Customer Name", "Customer Name"],
    ["metadata.  spaced  ", "spaced"],
    ["  metadata.key", "key"],
    ["metadata.a.b", "a.b"],
    ["metadata.extend:other", "extend:other"],
  ])("%j -> key %j", (header, key) => {
    expect(columnsOf(["Run ID", header]).metadata).toEqual([{ key, index: 1 }]);
  });

  it("keeps keys differing only by case as two columns", () => {
    expect(columnsOf(["Run ID", "metadata.Key", "metadata.key"]).metadata).toEqual([
      { key: "Key", index: 1 },
      { key: "key", index: 2 },
    ]);
  });

  it.each(["metadata.", "metadata.   ", "METADATA."])("%j without a key is refused", (header) => {
    expect(problemsOf(["Run ID", header])).toEqual([
      `column B is headed "${header.trim()}" with no key after "metadata.".`,
    ]);
  });

  it.each(["metadata.extend:usage_tags", "Metadata.extend:usage_tags", "metadata. extend:usage_tags"])(
    "%j is refused: tags go in the Tags column",
    (header) => {
      expect(problemsOf(["Run ID", "Name", header])).toEqual([
        'column C sets extend:usage_tags: use a "Tags" column for usage tags.',
      ]);
    },
  );
});

describe("mapHeaders: duplicate headers", () => {
  it.each([
    [["Run ID", "run_id"], 'Two columns are both "run_id" (column A and column B): keep one.'],
    [
      ["Run ID", "Workflow Run ID"],
      'Two columns are both "Workflow Run ID" (column A and column B): keep one.',
    ],
    [["Run ID", "Name", "Run Name"], 'Two columns are both "Run Name" (column B and column C): keep one.'],
    [
      ["Tags", "Run ID", "usage tags"],
      'Two columns are both "usage tags" (column A and column C): keep one.',
    ],
    [
      ["Run ID", "metadata.k", "metadata.k"],
      'Two columns are both "metadata.k" (column B and column C): keep one.',
    ],
    [
      ["Run ID", "metadata.k", "Metadata. k"],
      'Two columns are both "Metadata. k" (column B and column C): keep one.',
    ],
    [
      ["Run ID", "Sync Result", "sync_result"],
      'Two columns are both "sync_result" (column B and column C): keep one.',
    ],
  ])("%j", (headers, problem) => {
    expect(problemsOf(headers)).toEqual([problem]);
  });

  it("reports the missing Run ID first, then every other problem", () => {
    expect(problemsOf(["Name", "name", "metadata.", "metadata.extend:usage_tags"])).toEqual([
      NO_RUN_ID,
      'Two columns are both "name" (column A and column B): keep one.',
      'column C is headed "metadata." with no key after "metadata.".',
      'column D sets extend:usage_tags: use a "Tags" column for usage tags.',
    ]);
  });

  it.each([[[]], [[""]], [["Name", "Tags", "metadata.x"]]])("no Run ID in %j", (headers) => {
    expect(problemsOf(headers)).toEqual([NO_RUN_ID]);
  });
});

describe("mapHeaders: output columns", () => {
  it.each(OUTPUT_COLUMNS.map((column) => [column, OUTPUT_HEADERS[column]] as const))(
    "%s is found under its header %j",
    (column, header) => {
      expect(columnsOf(["Run ID", header]).output).toEqual({ [column]: 1 });
    },
  );

  it.each([
    ["sync result", "result"],
    ["RUN_STATUS", "status"],
    ["synced-at", "syncedAt"],
    ["SyncError", "error"],
    ["dashboard link", "link"],
    ["sync_state", "state"],
  ] as const)("%j is found as %s", (header, column) => {
    expect(columnsOf(["Run ID", header]).output).toEqual({ [column]: 1 });
  });

  it("finds all six wherever they are, and none is missing", () => {
    const headers = ["Sync State", "Run ID", ...OUTPUT_COLUMNS.slice(0, 5).map((c) => OUTPUT_HEADERS[c])];
    const columns = columnsOf(headers);
    expect(columns.output).toEqual({ state: 0, result: 2, status: 3, syncedAt: 4, error: 5, link: 6 });
    expect(missingOutputColumns(columns)).toEqual([]);
  });
});

describe("OUTPUT_HEADERS and missingOutputColumns", () => {
  it("creates columns in a fixed order with fixed names", () => {
    expect(OUTPUT_COLUMNS).toEqual(["result", "status", "syncedAt", "error", "link", "state"]);
    expect(OUTPUT_COLUMNS.map((column) => OUTPUT_HEADERS[column])).toEqual([...OUTPUT_COLUMN_NAMES]);
  });

  it.each([
    [["Run ID"], ["result", "status", "syncedAt", "error", "link", "state"]],
    [
      ["Run ID", "Sync Error", "Run Status"],
      ["result", "syncedAt", "link", "state"],
    ],
    [
      ["Run ID", "Sync State", "Sync Result"],
      ["status", "syncedAt", "error", "link"],
    ],
  ])("%j misses %j", (headers, missing) => {
    expect(missingOutputColumns(columnsOf(headers))).toEqual(missing);
  });
});

describe("inputColumnIndexes", () => {
  it.each([
    [["Run ID"], [0]],
    [
      ["Name", "x", "Run ID"],
      [0, 2],
    ],
    [
      ["Sync Result", "metadata.b", "Tags", "Run ID", "metadata.a", "Name"],
      [1, 2, 3, 4, 5],
    ],
  ])("%j -> %j (sorted, output columns excluded)", (headers, indexes) => {
    expect(inputColumnIndexes(columnsOf(headers))).toEqual(indexes);
  });
});

describe("columnLetter", () => {
  it.each([
    [0, "A"],
    [1, "B"],
    [25, "Z"],
    [26, "AA"],
    [27, "AB"],
    [51, "AZ"],
    [52, "BA"],
    [701, "ZZ"],
    [702, "AAA"],
    [16383, "XFD"],
    [18277, "ZZZ"],
  ])("%i -> %s", (index, letters) => {
    expect(columnLetter(index)).toBe(letters);
  });
});
