// Unit tests for src/core/requests/rows.ts: one sheet row -> empty, invalid, noop or the exact update body.
import { describe, expect, it } from "vitest";
import {
  BROKEN_CHARACTER_IN_RUN_ID,
  duplicateError,
  duplicateRunIds,
  MAX_JSON_DEPTH,
  type ParseContext,
  type ParsedRow,
  parseRow,
  validateRunId,
} from "../../../src/core/requests/rows";
import type { CellValue } from "../../../src/core/sheet/cell";
import { type ColumnMap, mapHeaders } from "../../../src/core/sheet/headers";
import { EXAMPLE_RUN_ID } from "../../../src/core/sheet/sheet-setup";
import type { JsonValue, UpdateWorkflowRunBody } from "../../../src/extend/api";

// Columns: A Run ID, B Name, C metadata.Customer, D metadata.amount, E Tags, F Sync Result.
const HEADERS = ["Run ID", "Name", "metadata.Customer", "metadata.amount", "Tags", "Sync Result"];
const mapped = mapHeaders(HEADERS);
if (!mapped.ok) throw new Error("test headers must map");
const COLUMNS: ColumnMap = mapped.columns;

const ctx: ParseContext = { dateToIso: (date) => `${date.toISOString().slice(0, 10)}T00:00:00+01:00` };

const ID = "workflow_run_xKm9pNv3qWsY_jL2tR5Dh";
const DATE = new Date(Date.UTC(2026, 1, 9, 12, 0, 0));

interface Cells {
  runId?: CellValue;
  name?: CellValue;
  customer?: CellValue;
  amount?: CellValue;
  tags?: CellValue;
  result?: CellValue;
}

function row(cells: Cells): CellValue[] {
  return [
    cells.runId ?? "",
    cells.name ?? "",
    cells.customer ?? "",
    cells.amount ?? "",
    cells.tags ?? "",
    cells.result ?? "",
  ];
}

const parse = (cells: Cells): ParsedRow => parseRow(row(cells), COLUMNS, ctx);

function bodyOf(cells: Cells): UpdateWorkflowRunBody {
  const parsed = parse(cells);
  if (parsed.kind !== "update") throw new Error(`expected an update, got ${JSON.stringify(parsed)}`);
  return parsed.body;
}

function errorsOf(cells: Cells): string[] {
  const parsed = parse(cells);
  if (parsed.kind !== "invalid") throw new Error(`expected an invalid row, got ${JSON.stringify(parsed)}`);
  return parsed.errors;
}

describe("empty rows", () => {
  it.each<[string, CellValue[]]>([
    ["all blank", row({})],
    ["only spaces", row({ runId: "  ", name: "\t", customer: " ", amount: "\n", tags: " " })],
    ["only an output column filled", row({ result: "Updated" })],
    ["no cells at all", []],
    ["shorter than the header", ["", ""]],
  ])("%s -> empty", (_label, cells) => {
    expect(parseRow(cells, COLUMNS, ctx)).toEqual({ kind: "empty" });
  });

  it.each<[string, Cells]>([
    ["a zero", { amount: 0 }],
    ["false", { amount: false }],
    ["a date", { customer: DATE }],
  ])("a row holding only %s is not empty", (_label, cells) => {
    expect(parse(cells).kind).toBe("invalid");
  });
});

describe("blank means unchanged; nothing to change -> noop", () => {
  it.each<[string, Cells]>([
    ["only a run id", { runId: ID }],
    ["blank inputs of spaces", { runId: ID, name: "  ", customer: " ", amount: "\t", tags: "\n" }],
    ["output columns do not count", { runId: ID, result: "Updated" }],
  ])("%s -> noop", (_label, cells) => {
    expect(parse(cells)).toEqual({ kind: "noop", runId: ID });
  });

  it("sends only the cells that are filled", () => {
    expect(parse({ runId: ID, amount: 5 })).toEqual({
      kind: "update",
      runId: ID,
      body: { metadata: { amount: 5 } },
      tagChanges: [],
    });
  });

  it("sends every filled column together", () => {
    expect(parse({ runId: ID, name: "Invoice 7", customer: "ACME", amount: 12.5, tags: "prod, eu" })).toEqual(
      {
        kind: "update",
        runId: ID,
        body: {
          name: "Invoice 7",
          metadata: { Customer: "ACME", amount: 12.5, "extend:usage_tags": ["prod", "eu"] },
        },
        tagChanges: [],
      },
    );
  });
});

describe("Name column", () => {
  it.each<[CellValue, string]>([
    ["Invoice 7", "Invoice 7"],
    ["  padded  ", "padded"],
    ["=not a formula", "=not a formula"],
    [42, "42"],
    [0, "0"],
    [true, "true"],
    [false, "false"],
    [DATE, "2026-02-09T00:00:00+01:00"],
  ])("%j -> name %j", (name, expected) => {
    expect(bodyOf({ runId: ID, name })).toEqual({ name: expected });
  });

  it.each(["#CLEAR", "#clear", " #Clear "])("%j is an error: a name cannot be cleared", (name) => {
    expect(errorsOf({ runId: ID, name })).toEqual([
      "Name cannot be cleared with #CLEAR: leave the cell blank to keep the current name.",
    ]);
  });
});

describe("metadata columns: every cell type", () => {
  it.each<[string, CellValue, JsonValue]>([
    ["text", "ACME Corp", "ACME Corp"],
    ["text is trimmed", "  ACME  ", "ACME"],
    ["text that looks like a number stays text", "00123", "00123"],
    ["text that looks like a formula stays text", "=1+1", "=1+1"],
    ["an integer", 12, 12],
    ["a decimal", 12.5, 12.5],
    ["a negative number", -3, -3],
    ["zero", 0, 0],
    ["true", true, true],
    ["false", false, false],
    ["a date", DATE, "2026-02-09T00:00:00+01:00"],
    ["#CLEAR", "#CLEAR", null],
    ["#clear in lower case with spaces", "  #clear ", null],
    ["a JSON object", 'json:{"a":1,"b":[true,null,"x"]}', { a: 1, b: [true, null, "x"] }],
    ["a JSON array", "json:[1, 2, 3]", [1, 2, 3]],
    ["an empty JSON object", "json:{}", {}],
    ["an empty JSON array", "json:[]", []],
    ["the prefix in any case", 'JSON:{"k":"v"}', { k: "v" }],
    ["spaces around the JSON", '  json:  { "k" : { "n": 2 } }  ', { k: { n: 2 } }],
    ["the prefix only counts at the start", 'see json:{"a":1}', 'see json:{"a":1}'],
  ])("%s", (_label, amount, expected) => {
    expect(bodyOf({ runId: ID, amount })).toEqual({ metadata: { amount: expected } });
  });

  it("passes the Date itself to the injected dateToIso", () => {
    const seen: Date[] = [];
    const parsed = parseRow(row({ runId: ID, customer: DATE }), COLUMNS, {
      dateToIso: (date) => {
        seen.push(date);
        return "converted";
      },
    });
    expect(seen).toEqual([DATE]);
    expect(parsed).toEqual({
      kind: "update",
      runId: ID,
      body: { metadata: { Customer: "converted" } },
      tagChanges: [],
    });
  });

  it.each([
    ["json:", "it ends too early: a closing }, ] or quote is missing"],
    ["json:{", "it ends too early: a closing }, ] or quote is missing"],
    ["json:{a:1}", 'it breaks at character 2, at "a:1}"'],
    ["json:[1,]", 'it breaks at character 4, at "]"'],
    ["JSON:not json", 'it breaks at character 2, at "ot json"'],
    ["json:{'a':1}", "it breaks at character 2, at \"'a':1}\""],
    ['json:{"total": 12,, "currency": "EUR"}', 'it breaks at character 14, at ", "currency""'],
  ])("%j is invalid JSON, and the message says where", (amount, where) => {
    expect(errorsOf({ runId: ID, amount })).toEqual([
      `metadata.amount (column D) is not valid JSON after "json:": ${where}.`,
    ]);
  });

  it("reports invalid JSON in each column it occurs in", () => {
    expect(errorsOf({ runId: ID, customer: "json:{", amount: "json:]" })).toEqual([
      'metadata.Customer (column C) is not valid JSON after "json:": it ends too early: a closing }, ] or quote is missing.',
      'metadata.amount (column D) is not valid JSON after "json:": it breaks at character 1, at "]".',
    ]);
  });

  it("calls the example row from Set up a sheet what it is, not a run to send", () => {
    expect(errorsOf({ runId: EXAMPLE_RUN_ID, name: "ACME invoice 2026-04" })).toEqual([
      "This is the example row from Set up a sheet: replace it with a real run (its Run ID from Extend).",
    ]);
  });

  it("keeps the key's exact case", () => {
    expect(bodyOf({ runId: ID, customer: "x" })).toEqual({ metadata: { Customer: "x" } });
  });

  it("refuses JSON nested deeper than the add-on sends, without overflowing the stack", () => {
    const deep = (levels: number) => `json:${"[".repeat(levels)}${"]".repeat(levels)}`;
    expect(bodyOf({ runId: ID, amount: deep(MAX_JSON_DEPTH) }).metadata?.amount).toBeDefined();
    for (const levels of [MAX_JSON_DEPTH + 1, 5_000, 24_000])
      expect(errorsOf({ runId: ID, amount: deep(levels) })).toEqual([
        `metadata.amount (column D) nests lists or objects more than ${MAX_JSON_DEPTH} levels deep: simplify the JSON.`,
      ]);
  });
});

describe("Tags column", () => {
  it.each<[CellValue, string[]]>([
    ["prod", ["prod"]],
    ["prod, team-eng,customer_123", ["prod", "team-eng", "customer_123"]],
    ["prod\nteam-eng", ["prod", "team-eng"]],
    ["b, a, b", ["b", "a"]],
    [123, ["123"]],
    ["#CLEAR", []],
    [" #clear ", []],
  ])("%j -> extend:usage_tags %j", (tags, expected) => {
    expect(bodyOf({ runId: ID, tags })).toEqual({ metadata: { "extend:usage_tags": expected } });
  });

  it("returns the tag changes to show the user", () => {
    expect(parse({ runId: ID, tags: "team eng, ok, ok, !!" })).toEqual({
      kind: "update",
      runId: ID,
      body: { metadata: { "extend:usage_tags": ["teameng", "ok"] } },
      tagChanges: [
        { typed: "team eng", sent: "teameng", reason: "characters removed" },
        { typed: "ok", sent: "ok", reason: "duplicate" },
        { typed: "!!", reason: "empty after cleaning" },
      ],
    });
  });

  it.each([", ,", "!!!", "é, ?"])("%j leaves no usable tag -> error", (tags) => {
    expect(errorsOf({ runId: ID, tags })).toEqual([
      'Tags has no usable tag: tags may only contain letters, digits, "_" and "-" (to remove all tags, type #CLEAR).',
    ]);
  });

  it("merges tags with the metadata columns", () => {
    expect(bodyOf({ runId: ID, customer: "#CLEAR", tags: "#CLEAR" })).toEqual({
      metadata: { Customer: null, "extend:usage_tags": [] },
    });
  });
});

describe("validateRunId", () => {
  it.each([
    ID,
    "workflow_run_1",
    "wr_123",
    "WORKFLOW_RUN_ABC",
    "a".repeat(255),
    "workflow_run_with/slash?and#hash",
    "x_exr_1",
    "a.b",
    "...x",
    "é".repeat(100),
  ])("%j is accepted", (runId) => {
    expect(validateRunId(runId)).toBeUndefined();
  });

  it.each([
    ["", "Run ID is empty: fill in the workflow run id (it starts with workflow_run_)."],
    ["workflow_run_a b", 'Run ID "workflow_run_a b" contains a space or line break: run ids never do.'],
    ["workflow_run_a\nb", 'Run ID "workflow_run_a\nb" contains a space or line break: run ids never do.'],
    ["workflow_run_a\tb", 'Run ID "workflow_run_a\tb" contains a space or line break: run ids never do.'],
    ["a".repeat(256), "Run ID is 256 characters long; Extend ids are at most 255."],
    ["a".repeat(1000), "Run ID is 1000 characters long; Extend ids are at most 255."],
    [".", 'Run ID "." is not a run id: copy the workflow run id from Extend.'],
    ["..", 'Run ID ".." is not a run id: copy the workflow run id from Extend.'],
    [
      "€".repeat(255),
      "Run ID has characters that make it too long for a web address: copy the workflow run id from Extend.",
    ],
    ...["exr_", "pr_", "clr_", "splr_", "edr_"].map((prefix) => [
      `${prefix}abc123`,
      `Run ID "${prefix}abc123" is not a workflow run (ids starting with ${prefix} are another kind of run, which cannot be updated here).`,
    ]),
  ])("%j -> %j", (runId, message) => {
    expect(validateRunId(runId)).toBe(message);
  });

  it.each([
    "workflow_run_abc\ud83d",
    "\ude00workflow_run_abc",
    "workflow_run_\ud800\ud800x",
    "workflow_run_\udc00\ud800",
    "\ud800",
    "workflow_run_a b\ud800",
    `${"€".repeat(250)}\udfff`,
  ])("%j holds half a character: an invalid row, not an exception", (runId) => {
    expect(validateRunId(runId)).toBe(BROKEN_CHARACTER_IN_RUN_ID);
    expect(parse({ runId, name: "n" })).toEqual({
      kind: "invalid",
      runId,
      errors: [BROKEN_CHARACTER_IN_RUN_ID],
    });
  });

  it("accepts a whole character made of two halves", () => {
    expect(validateRunId("workflow_run_😀")).toBeUndefined();
  });
});

describe("run id in a row", () => {
  it.each<[CellValue, string]>([
    [`  ${ID}  `, ID],
    [`\n${ID}\t`, ID],
    [12345, "12345"],
  ])("%j is trimmed to %j", (runId, expected) => {
    expect(parse({ runId, name: "n" })).toEqual({
      kind: "update",
      runId: expected,
      body: { name: "n" },
      tagChanges: [],
    });
  });

  it.each<[string, CellValue, string]>([
    ["empty", "", "Run ID is empty: fill in the workflow run id (it starts with workflow_run_)."],
    ["spaces only", "   ", "Run ID is empty: fill in the workflow run id (it starts with workflow_run_)."],
    [
      "inner space",
      "workflow_run a",
      'Run ID "workflow_run a" contains a space or line break: run ids never do.',
    ],
    ["too long", `  ${"b".repeat(256)}  `, "Run ID is 256 characters long; Extend ids are at most 255."],
    [
      "another run kind",
      " exr_1 ",
      'Run ID "exr_1" is not a workflow run (ids starting with exr_ are another kind of run, which cannot be updated here).',
    ],
  ])("%s -> invalid, before any call", (_label, runId, message) => {
    const parsed = parse({ runId, name: "n" });
    expect(parsed).toEqual({ kind: "invalid", runId: String(runId).trim(), errors: [message] });
  });

  it("a bad run id is an error even when nothing else is filled", () => {
    expect(parse({ runId: "pr_1" })).toEqual({
      kind: "invalid",
      runId: "pr_1",
      errors: [
        'Run ID "pr_1" is not a workflow run (ids starting with pr_ are another kind of run, which cannot be updated here).',
      ],
    });
  });
});

describe("formula error values", () => {
  it.each<[string, Cells, string[]]>([
    ["in Run ID", { runId: "#N/A", name: "n" }, ["Cell A shows the formula error #N/A: fix the formula."]],
    ["in Name", { runId: ID, name: "#REF!" }, ["Cell B shows the formula error #REF!: fix the formula."]],
    [
      "in a metadata column",
      { runId: ID, customer: " #VALUE! " },
      ["Cell C shows the formula error #VALUE!: fix the formula."],
    ],
    [
      "in another metadata column",
      { runId: ID, amount: "#DIV/0!" },
      ["Cell D shows the formula error #DIV/0!: fix the formula."],
    ],
    ["in Tags", { runId: ID, tags: "#NAME?" }, ["Cell E shows the formula error #NAME?: fix the formula."]],
    [
      "in several cells, in column order",
      { runId: ID, name: "#ERROR!", tags: "#REF!", customer: "#N/A" },
      [
        "Cell B shows the formula error #ERROR!: fix the formula.",
        "Cell C shows the formula error #N/A: fix the formula.",
        "Cell E shows the formula error #REF!: fix the formula.",
      ],
    ],
  ])("%s", (_label, cells, errors) => {
    expect(errorsOf(cells)).toEqual(errors);
  });

  it("ignores a formula error in an output column", () => {
    expect(parse({ runId: ID, result: "#REF!" })).toEqual({ kind: "noop", runId: ID });
  });
});

describe("the 10 KB metadata limit, counted in UTF-8 bytes", () => {
  // JSON.stringify({ Customer: "" }) is 15 bytes; the limit is 10 * 1024 = 10240 bytes.
  const OVERHEAD = '{"Customer":""}'.length;

  it.each<[string, string, number | undefined]>([
    ["ASCII at the limit", "x".repeat(10240 - OVERHEAD), undefined],
    ["ASCII one byte over", "x".repeat(10240 - OVERHEAD + 1), 10241],
    ["2-byte characters under the limit", "é".repeat(5112), undefined],
    ["2-byte characters over the limit", "é".repeat(5113), 10241],
    ["3-byte characters at the limit", `${"€".repeat(3408)}x`, undefined],
    ["3-byte characters over the limit", "€".repeat(3409), 10242],
    ["4-byte characters under the limit", "🙂".repeat(2556), undefined],
    ["4-byte characters over the limit", "🙂".repeat(2557), 10243],
  ])("%s", (_label, customer, bytes) => {
    const parsed = parse({ runId: ID, customer });
    if (bytes === undefined) {
      expect(parsed).toEqual({
        kind: "update",
        runId: ID,
        body: { metadata: { Customer: customer } },
        tagChanges: [],
      });
    } else {
      expect(parsed).toEqual({
        kind: "invalid",
        runId: ID,
        errors: [`Metadata is ${bytes} bytes; Extend accepts at most 10240 (10 KB): shorten the values.`],
      });
    }
  });

  it("counts the usage tags and every metadata column together", () => {
    const tags = "t".repeat(100);
    const fixed = `{"Customer":"","amount":1,"extend:usage_tags":["${tags}"]}`.length;
    const atLimit = parse({ runId: ID, customer: "c".repeat(10240 - fixed), amount: 1, tags });
    expect(atLimit.kind).toBe("update");
    expect(errorsOf({ runId: ID, customer: "c".repeat(10240 - fixed + 1), amount: 1, tags })).toEqual([
      "Metadata is 10241 bytes; Extend accepts at most 10240 (10 KB): shorten the values.",
    ]);
  });

  it("does not count the name", () => {
    expect(parse({ runId: ID, name: "n".repeat(20000) }).kind).toBe("update");
  });
});

describe("several problems on one row", () => {
  it("lists every error in a stable order", () => {
    expect(errorsOf({ runId: "", name: "#CLEAR", amount: "json:{", tags: "!!" })).toEqual([
      "Run ID is empty: fill in the workflow run id (it starts with workflow_run_).",
      "Name cannot be cleared with #CLEAR: leave the cell blank to keep the current name.",
      'metadata.amount (column D) is not valid JSON after "json:": it ends too early: a closing }, ] or quote is missing.',
      'Tags has no usable tag: tags may only contain letters, digits, "_" and "-" (to remove all tags, type #CLEAR).',
    ]);
  });
});

describe("a sheet with only a Run ID column", () => {
  const only = mapHeaders(["Run ID"]);
  if (!only.ok) throw new Error("must map");
  it.each<[CellValue[], ParsedRow]>([
    [[""], { kind: "empty" }],
    [[ID], { kind: "noop", runId: ID }],
    [["clr_1"], { kind: "invalid", runId: "clr_1", errors: [validateRunId("clr_1") as string] }],
  ])("%j -> %j", (cells, expected) => {
    expect(parseRow(cells, only.columns, ctx)).toEqual(expected);
  });
});

describe("duplicateRunIds", () => {
  const update = (runId: string): ParsedRow => ({
    kind: "update",
    runId,
    body: { name: "x" },
    tagChanges: [],
  });
  const noop = (runId: string): ParsedRow => ({ kind: "noop", runId });
  const invalid = (runId: string): ParsedRow => ({ kind: "invalid", runId, errors: ["e"] });
  const empty: ParsedRow = { kind: "empty" };

  it.each<[string, ParsedRow[], string[]]>([
    ["no rows", [], []],
    ["all distinct", [update("a"), noop("b"), invalid("c")], []],
    ["two updates", [update("a"), update("b"), update("a")], ["a"]],
    ["update and noop", [update("a"), noop("a")], ["a"]],
    ["update and invalid", [invalid("a"), update("a")], ["a"]],
    ["three times", [update("a"), update("a"), update("a")], ["a"]],
    ["two ids twice", [update("b"), update("a"), update("b"), noop("a")], ["b", "a"]],
    ["empty rows never count", [empty, empty, update("a")], []],
    ["empty run ids never count", [invalid(""), invalid("")], []],
    ["ids are case-sensitive", [update("A"), update("a")], []],
  ])("%s", (_label, rows, expected) => {
    expect([...duplicateRunIds(rows)]).toEqual(expected);
  });

  it("finds duplicates after trimming the cells", () => {
    const rows = [row({ runId: ID, name: "a" }), row({ runId: ` ${ID} `, amount: 1 })].map((cells) =>
      parseRow(cells, COLUMNS, ctx),
    );
    expect([...duplicateRunIds(rows)]).toEqual([ID]);
  });

  it("duplicateError names the id", () => {
    expect(duplicateError(ID)).toBe(
      `Run ID ${ID} appears on more than one row of this sync: keep it on one row only.`,
    );
  });
});
