// `npm start` against an API by URL: the key comes from EXTEND_API_KEY and never from, or onto, the command line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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
