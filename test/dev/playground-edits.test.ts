// A person's edits of the playground's sheet (dev/playground/edits.ts): applied to the host's spreadsheet model
// as Sheets applies typed and pasted text, refused whole when Sheets would refuse them, never an execution of
// the add-on and never one of its service calls; over HTTP, an edit posted while an execution runs waits for it
// to end, so no execution ever sees half an edit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GasHost } from "../../dev/gas-host/index.js";
import { applyEdit, EditRefused, parseEdit, sheetNameFor } from "../../dev/playground/edits.js";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import { rawRequest } from "../support/raw-http.js";

function newBook() {
  const host = new GasHost({ timeZone: "Europe/Berlin" });
  host.spreadsheet.addSheet("Runs").setValues("A1", [["Run ID", "Name", "metadata.amount"]]);
  return host;
}

describe("applyEdit", () => {
  it("reads typed text as Sheets reads typed input, and costs the add-on no execution and no service call", () => {
    const host = newBook();
    try {
      const before = host.accounting.snapshot();
      const typed = ["1250.5", "TRUE", "2026-04-12", "'0012", "=1+1", "plain text"];
      applyEdit(host.spreadsheet, "Runs", { kind: "set", row: 2, column: 1, values: [typed] });
      const [row] = host.spreadsheet.sheet("Runs").values().slice(1);
      expect(row?.slice(0, 2)).toEqual([1250.5, true]);
      expect(row?.[2]).toBeInstanceOf(Date);
      expect(row?.slice(3)).toEqual(["0012", 2, "plain text"]);
      expect(host.spreadsheet.sheet("Runs").formulas()[1]?.[4]).toBe("=1+1");
      applyEdit(host.spreadsheet, "Runs", { kind: "set", row: 2, column: 6, values: [[""]] });
      expect(host.spreadsheet.sheet("Runs").lastColumn()).toBe(5);
      expect(host.accounting.snapshot()).toEqual(before);
    } finally {
      host.dispose();
    }
  });

  it("pastes a tab-separated block: quoted cells keep their tabs and line breaks, an empty field clears its cell", () => {
    const host = newBook();
    try {
      const sheet = host.spreadsheet.sheet("Runs");
      sheet.setValues("A2", [["workflow_run_a", "Old name", 5]]);
      const outcome = applyEdit(host.spreadsheet, "Runs", {
        kind: "paste",
        row: 2,
        column: 2,
        text: '"Two\nlines"\t\r\n"a\tb"\t7\n',
      });
      expect(outcome.message).toBe("Pasted 4 cells.");
      expect(sheet.values().slice(1)).toEqual([
        ["workflow_run_a", "Two\nlines", ""],
        ["", "a\tb", 7],
      ]);
    } finally {
      host.dispose();
    }
  });

  it("refuses a cell over 50,000 characters, or a workbook over 10 million cells, changing nothing", () => {
    const host = newBook();
    try {
      const sheet = host.spreadsheet.sheet("Runs");
      const long = "x".repeat(50_001);
      const refusal = () =>
        applyEdit(host.spreadsheet, "Runs", { kind: "set", row: 2, column: 1, values: [["kept out", long]] });
      expect(refusal).toThrow(EditRefused);
      expect(refusal).toThrow(
        "Your input contains more than the maximum of 50000 characters in a single cell.",
      );
      expect(() =>
        applyEdit(host.spreadsheet, "Runs", { kind: "set", row: 9_000_000, column: 2, values: [["far"]] }),
      ).toThrow(/above the limit of 10000000 cells/);
      expect(sheet.lastRow()).toBe(1);
      expect(sheet.maxRows).toBe(1000);
    } finally {
      host.dispose();
    }
  });

  it("inserts and deletes rows, and keeps at least one row, as Sheets does", () => {
    const host = newBook();
    try {
      const sheet = host.spreadsheet.sheet("Runs");
      sheet.setValues("A2", [["a"], ["b"]]);
      applyEdit(host.spreadsheet, "Runs", { kind: "insertRows", after: 2, count: 1 });
      expect(sheet.values().map((row) => row[0])).toEqual(["Run ID", "a", "", "b"]);
      expect(applyEdit(host.spreadsheet, "Runs", { kind: "deleteRows", first: 2, count: 2 }).message).toBe(
        "Deleted rows 2 to 3.",
      );
      expect(sheet.values().map((row) => row[0])).toEqual(["Run ID", "b"]);
      expect(() =>
        applyEdit(host.spreadsheet, "Runs", { kind: "deleteRows", first: 1, count: sheet.maxRows }),
      ).toThrow("You can't delete all the rows on the sheet.");
    } finally {
      host.dispose();
    }
  });

  it("loads a CSV file into a sheet named after it, by its separator, replacing a sheet of that name", () => {
    const host = newBook();
    try {
      const tabs = applyEdit(host.spreadsheet, "Runs", {
        kind: "loadCsv",
        fileName: "C:\\exports\\April batch.tsv",
        text: "\uFEFFRun ID\tName\nworkflow_run_a\t1,5\n",
      });
      expect(tabs).toEqual({
        message:
          'Loaded April batch.tsv into a new sheet, "April batch" (columns separated by tabs): 1 row below the header.',
        sheetName: "April batch",
      });
      expect(host.spreadsheet.sheet("April batch").values()).toEqual([
        ["Run ID", "Name"],
        ["workflow_run_a", "1,5"],
      ]);
      expect(host.spreadsheet.activeSheetName).toBe("April batch");
      const again = applyEdit(host.spreadsheet, "Runs", {
        kind: "loadCsv",
        fileName: "April batch.csv",
        text: "Run ID\nworkflow_run_b\nworkflow_run_c",
      });
      expect(again.message).toMatch(
        /^Loaded April batch\.csv into the sheet "April batch", in place of what it held: 2 rows/,
      );
      expect(host.spreadsheet.sheets.filter((sheet) => sheet.name === "April batch")).toHaveLength(1);
    } finally {
      host.dispose();
    }
  });

  it("loads a CSV file of 150,000 rows (spread into one call, so many rows overflow the stack)", () => {
    const host = newBook();
    try {
      const lines = Array.from({ length: 150_000 }, (_, i) => `workflow_run_${i}`);
      const outcome = applyEdit(host.spreadsheet, "Runs", {
        kind: "loadCsv",
        fileName: "big.csv",
        text: ["Run ID", ...lines].join("\n"),
      });
      expect(outcome.message).toMatch(/: 150000 rows below the header\.$/);
      expect(host.spreadsheet.sheet("big").lastRow()).toBe(150_001);
    } finally {
      host.dispose();
    }
  });

  it.each([
    ["../../etc/passwd", "passwd"],
    [".csv", "Imported"],
    ["\u001b[2Jrows.csv", "[2Jrows"],
    [`${"n".repeat(150)}.csv`, "n".repeat(100)],
  ])("names the sheet of a file called %j %j", (fileName, sheetName) => {
    expect(sheetNameFor(fileName)).toBe(sheetName);
  });
});

describe("parseEdit", () => {
  it.each([
    ["no sheet", { edit: { kind: "set", row: 1, column: 1, values: [["x"]] } }],
    ["a row of 0", { sheetName: "Runs", edit: { kind: "set", row: 0, column: 1, values: [["x"]] } }],
    ["a fractional column", { sheetName: "Runs", edit: { kind: "paste", row: 1, column: 1.5, text: "x" } }],
    ["a number as a value", { sheetName: "Runs", edit: { kind: "set", row: 1, column: 1, values: [[1]] } }],
    ["no values", { sheetName: "Runs", edit: { kind: "set", row: 1, column: 1, values: [] } }],
    ["too many rows at once", { sheetName: "Runs", edit: { kind: "insertRows", after: 1, count: 5000 } }],
    ["an unknown kind", { sheetName: "Runs", edit: { kind: "formatCells" } }],
    ["a file without text", { sheetName: "Runs", edit: { kind: "loadCsv", fileName: "a.csv" } }],
  ])("refuses %s", (_, body) => {
    expect(parseEdit(body)).toEqual({ error: expect.stringMatching(/^The playground refused this edit: /) });
  });
});

describe("an edit posted while the add-on runs", () => {
  let playground: Playground;
  beforeAll(async () => {
    // Every answer of the stand-in takes 1.5 s, so that the connection test below runs that long at least.
    playground = await startPlayground({ latencyMs: 1500 });
  });
  afterAll(async () => {
    await playground?.close();
  });

  async function post(
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const { port, host } = new URL(playground.origin);
    const headers = { host, "x-playground-token": playground.token, "content-type": "application/json" };
    const answer = await rawRequest(port, "POST", path, headers, JSON.stringify(body));
    return { status: answer.status, body: JSON.parse(answer.body) };
  }

  it("is applied after that execution ends and before the next one starts", async () => {
    await post("/run", { functionName: "saveApiKey", args: ["e2e-key-not-secret"] });
    const finished: string[] = [];
    const execution = post("/run", { functionName: "testConnection", args: [] }).then((answer) => {
      finished.push("execution");
      return answer;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const edit = post("/edit", {
      sheetName: "Runs",
      edit: { kind: "set", row: 2, column: 2, values: [["Typed during the execution"]] },
    }).then((answer) => {
      finished.push("edit");
      return answer;
    });
    expect((await execution).status).toBe(200);
    expect((await edit).body.message).toBe("Changed 1 cell.");
    expect(finished).toEqual(["execution", "edit"]);
    const name = await post("/run", { functionName: "rowRequestBody", args: [2] });
    expect(JSON.stringify(name.body)).toContain("Typed during the execution");
  });
});
