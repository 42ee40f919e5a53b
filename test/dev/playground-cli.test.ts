// `npm run playground -- --csv FILE`: the person's own CSV file in the playground's sheet, read by its separator
// (Excel's semicolons here); a file that cannot be read is refused in one line, exit code 2, before the build.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SheetSnapshot } from "../../dev/playground/protocol.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";

const REPO = join(import.meta.dirname, "../..");
let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "playground-cli-"));
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe("npm run playground -- --csv", () => {
  it("refuses a missing file in one line, exit code 2, before building or starting anything", () => {
    const bundle = join(REPO, "dist/Code.js");
    const builtAt = statSync(bundle).mtimeMs;
    const missing = join(folder, "missing.csv");
    const run = spawnSync("npm", ["run", "playground", "--", "--csv", missing], {
      cwd: REPO,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `Cannot read ${missing}: there is no such file. Give the path of a CSV file: npm run playground -- --csv my-sheet.csv\n`,
    );
    expect(run.stdout).not.toMatch(/Building|open http/);
    expect(statSync(bundle).mtimeMs).toBe(builtAt);
  });

  it("opens the person's semicolon-separated file as the sheet", async () => {
    const [first = "", second = ""] = seededRunIds(2);
    const csv = join(folder, "excel.csv");
    writeFileSync(csv, `\uFEFFRun ID;Name\r\n${first};"Semicolon; inside"\r\n${second};Plain\r\n`);
    let child: ChildProcess | undefined;
    try {
      child = spawn(
        process.execPath,
        ["--import", "tsx", "dev/playground/cli.ts", "--csv", csv, "--port", "0"],
        {
          cwd: REPO,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      const started = child;
      const url = await new Promise<URL>((resolve, reject) => {
        let out = "";
        started.stdout?.on("data", (chunk: Buffer) => {
          out += chunk.toString("utf8");
          const address = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+) in a browser/.exec(out)?.[1];
          if (address) resolve(new URL(address));
        });
        started.on("exit", (code) => reject(new Error(`the playground stopped (${code}): ${out}`)));
      });
      const answer = await fetch(new URL("/sheet?since=-1", url), {
        headers: { "x-playground-token": url.searchParams.get("token") ?? "" },
      });
      const snapshot = (await answer.json()) as SheetSnapshot;
      expect(snapshot.header).toEqual(["Run ID", "Name"]);
      expect(snapshot.rows).toEqual([
        [first, "Semicolon; inside"],
        [second, "Plain"],
      ]);
    } finally {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child?.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    }
  });
});
