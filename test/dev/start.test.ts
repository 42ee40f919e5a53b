// `npm start` against an API by URL: the key comes from EXTEND_API_KEY and never from, or onto, the command line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandInClient, startStandInProcess } from "../../dev/stand-in/process.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";

const KEY = "sk_test_start_KEY_4f9d2c7a1b";
const REPO = join(import.meta.dirname, "../..");
let extend: StandInClient;
let csv: string;

beforeAll(async () => {
  extend = await startStandInProcess({ apiKey: KEY, runCount: 10, rate: 0 });
  const folder = mkdtempSync(join(tmpdir(), "start-test-"));
  csv = join(folder, "runs.csv");
  const ids = seededRunIds(3);
  writeFileSync(csv, ["Run ID,Name", ...ids.map((id, index) => `${id},Started ${index}`)].join("\n"));
});
afterAll(async () => {
  await extend.close();
});

function start(args: string[], env: Record<string, string | undefined>) {
  return spawnSync(process.execPath, ["--import", "tsx", join(REPO, "dev/start.ts"), ...args], {
    cwd: REPO,
    env: { ...process.env, EXTEND_API_KEY: undefined, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("npm start with --base-url", () => {
  it("syncs with the key from EXTEND_API_KEY and prints it nowhere", async () => {
    const run = start([csv, "--base-url", extend.url], { EXTEND_API_KEY: KEY });
    expect(run.status).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(KEY);
    expect(run.stdout).toMatch(/Synced sheet written to/);
    const synced = readFileSync(csv.replace(/\.csv$/, ".synced.csv"), "utf8");
    expect(synced).not.toContain(KEY);
    expect(synced.match(/Updated/g)).toHaveLength(3);
    expect((await extend.stats()).updateRequests).toHaveLength(3);
  });

  it("refuses a key on the command line, where npm would print it", () => {
    const run = start([csv, "--base-url", extend.url, "--api-key", KEY], {});
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/EXTEND_API_KEY/);
    expect(run.stderr).not.toContain(KEY);
  });

  it("says where the key goes when EXTEND_API_KEY is not set", () => {
    const run = start([csv, "--base-url", extend.url], {});
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/EXTEND_API_KEY/);
  });
});

describe("npm start: import, refresh and tag modes", () => {
  it("imports runs into a CSV, with current values and the credits summary beside it", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "start-import-")), "imported.csv");
    const run = start(
      ["--import", out, "--status", "PROCESSED", "--max", "4", "--with-current", "--base-url", extend.url],
      { EXTEND_API_KEY: KEY },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toMatch(/^Run ID,Name,Tags,Dashboard Link,Run Status,Workflow,/);
    // Ten seeded runs, of which the first eight walk every status: at least one is PROCESSED.
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines.slice(1).every((line) => line.includes(",PROCESSED,"))).toBe(true);
    expect(readFileSync(out.replace(/\.csv$/, ".credits.csv"), "utf8")).toMatch(/^Usage Tag,Runs,Credits/);
    expect(new URLSearchParams((await extend.stats()).listQueries.at(-1)).get("status")).toBe("PROCESSED");
  });

  it("refreshes instead of syncing and writes f.credits.csv; syncs with a tag mode", async () => {
    const before = (await extend.stats()).updateRequests.length;
    const refresh = start([csv, "--refresh", "--base-url", extend.url], { EXTEND_API_KEY: KEY });
    expect(refresh.status).toBe(0);
    expect(readFileSync(csv.replace(/\.csv$/, ".refreshed.csv"), "utf8")).toMatch(/Current Tags/);
    expect(readFileSync(csv.replace(/\.csv$/, ".credits.csv"), "utf8")).toMatch(/All runs read,3,/);
    expect((await extend.stats()).updateRequests.length).toBe(before);

    const add = start([csv, "--tag-mode", "add", "--base-url", extend.url], { EXTEND_API_KEY: KEY });
    expect(add.status).toBe(0);
    expect(add.stdout).toMatch(/Clicking Add tags: all rows/);
  });

  it.each([
    [["--tag-mode", "merge"], /--tag-mode takes add, remove or replace/],
    [["--status", "FAILED"], /only go with --import/],
    [["--refresh", "--tag-mode", "add"], /takes no --tag-mode/],
  ])("refuses %j", (args, message) => {
    const run = start([csv, ...args, "--base-url", extend.url], { EXTEND_API_KEY: KEY });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
  });
});

describe("npm start for someone trying it", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "start-newcomer-"));
  });

  it("builds quietly, reads Excel's semicolon CSV with its BOM, prints whole or marked cells with row numbers, and says it answered Yes", async () => {
    const ids = seededRunIds(3);
    const long = "~".repeat(300);
    const input = join(folder, "excel.csv");
    // Excel's "CSV UTF-8" in a language whose decimal mark is the comma: a byte order mark and semicolons.
    const lines = [
      "Run ID;Name;Tags",
      `${ids[0]};"Short; with a semicolon";alpha beta`,
      `${ids[1]};${long};`,
    ];
    writeFileSync(input, `\uFEFF${[...lines, `${ids[2]};Plain;`].join("\r\n")}\r\n`);
    const sent = (await extend.stats()).updateRequests.length;
    const run = spawnSync("npm", ["start", "--", input, "--base-url", extend.url], {
      cwd: REPO,
      env: { ...process.env, EXTEND_API_KEY: KEY, COLUMNS: "80" },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain("Building the add-on");
    expect(out).not.toMatch(/entry functions|continueSyncJob|sidebarState/);
    expect(out).toContain("excel.csv has its columns separated by semicolons");
    expect(out).not.toMatch(/No Run ID column/);

    // Each row starts with its sheet row number, the Run ID whole; no line of a table is wider than COLUMNS.
    for (const [index, id] of ids.entries()) expect(out).toMatch(new RegExp(`^ +${index + 2} │ ${id}$`, "m"));
    expect(out.split("\n").filter((line) => line.includes("│") && [...line].length > 80)).toEqual([]);
    // The long name wraps over several lines, then ends with how many characters were not shown.
    const sheetBefore = out.slice(0, out.indexOf("Clicking"));
    const shown = (sheetBefore.match(/~+/g) ?? []).join("").length;
    const cut = Number(/~…\+(\d+) /.exec(sheetBefore)?.[1]);
    expect(shown).toBeGreaterThan(80);
    expect(shown + cut).toBe(300);

    expect(out).toContain('"alpha beta" is sent as "alphabeta"');
    expect(out).toContain("npm start answered Yes for you. Run it with --no to answer No instead.");
    expect(out).toMatch(/^Done in [\d.]+ s: 1 Apps Script run \(Google stops each after 6 minutes/m);
    expect(out).not.toMatch(/executions/i);
    expect((await extend.stats()).updateRequests.length).toBe(sent + 3);
    // Written back as it came: with the byte order mark and the semicolons.
    const synced = readFileSync(join(folder, "excel.synced.csv"), "utf8");
    expect(synced.startsWith("\uFEFFRun ID;Name;Tags;")).toBe(true);
    expect(synced).toContain(`${ids[0]};"Short; with a semicolon";alpha beta;`);
  });

  it("answers No with --no, and then sends nothing", async () => {
    const input = join(folder, "tags.csv");
    writeFileSync(input, ["Run ID,Tags", `${seededRunIds(1)[0]},"alpha beta"`].join("\n"));
    const sent = (await extend.stats()).updateRequests.length;
    const run = start([input, "--no", "--base-url", extend.url], { EXTEND_API_KEY: KEY });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("npm start answered No for you, as --no asks. Without --no it answers Yes.");
    expect((await extend.stats()).updateRequests.length).toBe(sent);
  });

  it("refuses a missing file in one line, exit code 2, before building or starting anything", () => {
    const bundle = join(REPO, "dist/Code.js");
    const builtAt = statSync(bundle).mtimeMs;
    const run = spawnSync("npm", ["start", "--", join(folder, "missing.csv")], {
      cwd: REPO,
      env: { ...process.env, EXTEND_API_KEY: undefined },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `Cannot read ${join(folder, "missing.csv")}: there is no such file. Give the path of a CSV file: npm start -- my-sheet.csv\n`,
    );
    expect(run.stdout).not.toMatch(/Building|stand-in/);
    expect(statSync(bundle).mtimeMs).toBe(builtAt);
  });

  it.each([
    ["a folder", () => folder, /it is a folder, not a file/],
    [
      "a file that is not UTF-8 (Excel's older CSV)",
      () => {
        const path = join(folder, "latin1.csv");
        writeFileSync(path, Buffer.from("Run ID;Name\nworkflow_run_x;Caf\xe9\n", "latin1"));
        return path;
      },
      /it is not UTF-8 text\. In Excel, save it again as "CSV UTF-8"/,
    ],
  ])("refuses %s in one line, exit code 2", (_, path, message) => {
    const run = start([path()], {});
    expect(run.status).toBe(2);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });
});
