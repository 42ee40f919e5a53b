// The stand-in as a separate process: the CLI, and the child-process client that tests with a blocking
// UrlFetchApp use. Also proves that no child outlives the process that started it.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandInClient, startStandInProcess } from "../../dev/stand-in/process.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";
import { API_KEY, apiHeaders, call, updateRun } from "./stand-in-helpers.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

/** Collects a child's stdout and resolves on the first line that matches. */
function firstLineMatching(
  child: ChildProcess,
  pattern: RegExp,
): Promise<{ line: string; all: () => string }> {
  let output = "";
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const line = output.split("\n").find((candidate) => pattern.test(candidate));
      if (line !== undefined) resolve({ line, all: () => output });
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code} before printing; output: ${output}`)));
  });
}

describe("startStandInProcess (child process controlled over HTTP)", () => {
  let client: StandInClient;
  const [firstId] = seededRunIds(1, 5) as [string];

  beforeAll(async () => {
    client = await startStandInProcess({ apiKey: API_KEY, runCount: 30, seed: 5, rate: 0, wrapErrors: true });
  });
  afterAll(() => client.close());

  it("serves the seeded runs of its seed, with options the CLI has no flag for already applied", async () => {
    expect(client.url).toBe(`http://127.0.0.1:${client.port}`);
    expect(client.pid).not.toBe(process.pid);
    const response = await call(client, "GET", `/workflow_runs/${firstId}`);
    expect(response.status).toBe(200);
    const missing = await call(client, "GET", "/workflow_runs/workflow_run_nope");
    expect(missing.json.error.code).toBe("NOT_FOUND");
  });

  it("reads stats and stored runs, adds runs, arms faults, changes settings and resets", async () => {
    await updateRun(client, firstId, { name: "Child-process run", metadata: { via: "child" } });
    expect((await client.getRun(firstId))?.name).toBe("Child-process run");
    expect(await client.getRun("workflow_run_nope")).toBeUndefined();
    const [found, missing] = await client.getRuns([firstId, "workflow_run_nope"]);
    expect(found?.name).toBe("Child-process run");
    expect(missing).toBeNull();
    const stats = await client.stats();
    expect(stats.updatesByRunId[firstId]).toBe(1);
    expect(stats.updateRequests[0]?.headers.authorization).toBe("REDACTED");

    expect(await client.addRuns([{ id: "workflow_run_added", status: "FAILED" }])).toEqual([
      "workflow_run_added",
    ]);
    expect((await call(client, "GET", "/workflow_runs/workflow_run_added")).json.status).toBe("FAILED");

    const armed = await client.setFaults([{ kind: "503", match: { runId: firstId } }]);
    expect(armed).toEqual([{ kind: "503", match: { runId: firstId }, times: 1 }]);
    expect((await updateRun(client, firstId, {})).status).toBe(503);

    const config = await client.configure({ rate: 1, sendRetryAfter: false });
    expect(config).toMatchObject({ rate: 1, sendRetryAfter: false });
    const statuses = [
      (await updateRun(client, firstId, {})).status,
      (await updateRun(client, firstId, {})).status,
    ];
    expect(statuses).toEqual([200, 429]);
    await expect(client.configure({ rate: -1 })).rejects.toThrow(/rate/);

    await client.reset({ runs: true, config: true });
    expect((await client.stats()).totalRequests).toBe(0);
    expect(await client.getRun("workflow_run_added")).toBeUndefined();
    expect((await client.getRun(firstId))?.name).toBeNull();
  });

  it("stops the child on close()", async () => {
    const other = await startStandInProcess({ apiKey: API_KEY, runCount: 1 });
    expect(isAlive(other.pid)).toBe(true);
    await other.close();
    expect(isAlive(other.pid)).toBe(false);
    await other.close(); // a second close is harmless
  });
});

describe("no stand-in outlives its parent", () => {
  // A parent process that starts a stand-in child, prints the child's pid, then either waits or simply ends.
  const parentScript = (thenWhat: string) => `
    import { startStandInProcess } from "./dev/stand-in/process.ts";
    const client = await startStandInProcess({ apiKey: "test-key-not-secret", runCount: 1 });
    console.log("child-pid=" + client.pid);
    ${thenWhat}
  `;

  it.each([
    ["is killed with SIGKILL", "setInterval(() => {}, 1000);", true],
    ["ends without calling close()", "", false],
  ])("when the parent %s", async (_label, thenWhat, killParent) => {
    const parent = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", parentScript(thenWhat)],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const parentExited = new Promise((resolve) => parent.once("exit", resolve));
    const { line } = await firstLineMatching(parent, /^child-pid=\d+$/);
    const childPid = Number(line.split("=")[1]);
    if (killParent) parent.kill("SIGKILL");
    await parentExited;
    expect(await waitUntil(() => !isAlive(childPid), 8000)).toBe(true);
  });
});

describe("cli.ts", () => {
  it("prints one line with the URL and never the key, applies its flags, and exits cleanly on SIGTERM", async () => {
    const cli = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "dev/stand-in/cli.ts",
        "--port",
        "0",
        "--api-key",
        API_KEY,
        "--runs",
        "5",
        "--seed",
        "4",
        "--rate",
        "1",
        "--burst",
        "2",
        "--latency",
        "20",
        "--no-retry-after",
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    cli.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => cli.once("exit", resolve));
    try {
      const { line, all } = await firstLineMatching(cli, /listening/);
      expect(line).toMatch(/^Extend stand-in listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.replace("Extend stand-in listening on ", "");
      const target = { url };

      const [id] = seededRunIds(5, 4) as [string];
      const started = performance.now();
      expect((await call(target, "GET", `/workflow_runs/${id}`)).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(15);
      expect((await call(target, "GET", "/workflow_runs")).json.data).toHaveLength(5);
      const writes = await Promise.all([1, 2, 3].map(() => updateRun(target, id, { metadata: { a: 1 } })));
      expect(writes.map((response) => response.status).sort()).toEqual([200, 200, 429]);
      expect(writes.find((response) => response.status === 429)?.headers.get("retry-after")).toBeNull();
      const wrongKey = await call(target, "GET", "/workflow_runs", {
        headers: apiHeaders({ authorization: "Bearer x" }),
      });
      expect(wrongKey.status).toBe(401);

      cli.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(all()).toBe(`${line}\n`);
      expect(all() + stderr).not.toContain(API_KEY);
    } finally {
      cli.kill("SIGKILL");
    }
  });

  it("refuses to start without an api key", async () => {
    const cli = spawn(process.execPath, ["--import", "tsx", "dev/stand-in/cli.ts", "--port", "0"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, EXTEND_STAND_IN_API_KEY: "" },
    });
    let stderr = "";
    cli.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const code = await new Promise<number | null>((resolve) => cli.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("--api-key");
  });
});
