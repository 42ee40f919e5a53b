// The stand-in's seeded data: deterministic ids and runs, coherent fields per status, lazy building that scales
// to 20,000 runs, and examples/runs.csv staying in step with the default seeded set.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stepRunsFor } from "../../dev/stand-in/render.js";
import { completeRun, generateSeededRuns, seededRunIds } from "../../dev/stand-in/runs.js";
import { startStandIn } from "../../dev/stand-in/server.js";
import { WORKFLOW_RUN_STATUSES } from "../../dev/stand-in/types.js";
import { API_KEY, call } from "./stand-in-helpers.js";

const RUN_ID = /^workflow_run_[A-Za-z0-9_-]{21}$/;

describe("seededRunIds", () => {
  it("gives the same unique, well-formed ids for the same seed, and a prefix of a longer list", () => {
    const ids = seededRunIds(500, 1);
    expect(ids).toEqual(seededRunIds(500, 1));
    expect(new Set(ids).size).toBe(500);
    for (const id of ids) expect(id).toMatch(RUN_ID);
    expect(seededRunIds(20, 1)).toEqual(ids.slice(0, 20));
    expect(seededRunIds(20, 2)).not.toEqual(ids.slice(0, 20));
  });

  it("are the ids of generateSeededRuns, in order", () => {
    expect([...generateSeededRuns(50, 3).keys()]).toEqual(seededRunIds(50, 3));
  });
});

describe("seeded runs", () => {
  const runs = [...generateSeededRuns(200, 1).values()];

  it("are deterministic", () => {
    expect([...generateSeededRuns(200, 1).values()]).toEqual(runs);
  });

  it("cover every status, several workflows and batches, realistic file names and some existing metadata", () => {
    expect(new Set(runs.map((run) => run.status))).toEqual(new Set(WORKFLOW_RUN_STATUSES));
    expect(runs.slice(0, 8).map((run) => run.status)).toEqual([...WORKFLOW_RUN_STATUSES]);
    expect(new Set(runs.map((run) => run.workflow.id)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(runs.map((run) => run.batchId).filter(Boolean)).size).toBeGreaterThanOrEqual(3);
    expect(runs.some((run) => run.batchId === null)).toBe(true);
    expect(runs.some((run) => run.files.some((file) => /^invoice_\d{4}_\d{4}\.pdf$/.test(file.name)))).toBe(
      true,
    );
    expect(runs.filter((run) => Object.keys(run.metadata).length > 0).length).toBeGreaterThan(20);
    expect(runs.some((run) => Array.isArray(run.metadata["extend:usage_tags"]))).toBe(true);
  });

  it("have fields that fit their status", () => {
    for (const run of runs) {
      const finished = ["PROCESSED", "FAILED", "CANCELLED", "REJECTED"].includes(run.status);
      expect(run.failureReason !== null, run.id).toBe(run.status === "FAILED");
      expect(run.failureMessage !== null, run.id).toBe(run.status === "FAILED");
      expect(run.startTime === null, run.id).toBe(run.status === "PENDING");
      expect(run.initialRunAt === null, run.id).toBe(run.status === "PENDING");
      expect(run.endTime !== null, run.id).toBe(finished);
      expect(run.usage === null, run.id).toBe(run.status === "PENDING");
      if (run.status === "REJECTED") {
        expect(run).toMatchObject({ reviewed: true, rejectionNote: expect.any(String) });
        expect(run.reviewedByUser).toMatch(/@example\.com$/);
      } else {
        expect(run.rejectionNote).toBeNull();
      }
      expect(run.reviewed).toBe(run.reviewedByUser !== null);
      expect(run.reviewed).toBe(run.reviewedAt !== null);
      if (run.startTime && run.endTime) expect(run.endTime > run.startTime).toBe(true);
      expect(run.updatedAt >= run.createdAt).toBe(true);
      expect(run.name).toBeNull();
    }
  });

  it("have small step runs that follow the status", () => {
    const byStatus = (status: string) => runs.find((run) => run.status === status);
    const pending = byStatus("PENDING");
    const processed = byStatus("PROCESSED");
    const failed = byStatus("FAILED");
    if (!pending || !processed || !failed) throw new Error("seeded set lacks a status");
    expect(stepRunsFor(pending)).toEqual([]);
    expect(stepRunsFor(processed).map((step) => [step.stepType, step.status])).toEqual([
      ["PARSE", "PROCESSED"],
      ["EXTRACT", "PROCESSED"],
    ]);
    expect(stepRunsFor(failed).map((step) => step.status)).toEqual(["FAILED"]);
    expect(stepRunsFor(processed)[0]).toMatchObject({
      object: "workflow_step_run",
      workflowRunId: processed.id,
    });
  });

  it("complete a partial run from a test with the rest of a PROCESSED run", () => {
    const run = completeRun({ id: "workflow_run_partial", metadata: { a: 1 } });
    expect(run).toMatchObject({
      id: "workflow_run_partial",
      status: "PROCESSED",
      metadata: { a: 1 },
      name: null,
    });
    expect(run.files).toHaveLength(1);
  });
});

describe("lazily built run map", () => {
  it("builds runs on first read, and keeps Map behaviour for size, set, delete and iteration order", () => {
    const ids = seededRunIds(5, 1);
    const map = generateSeededRuns(5, 1);
    expect(map.size).toBe(5);
    expect(map.has(ids[2] ?? "")).toBe(true);
    expect(map.get(ids[2] ?? "")?.id).toBe(ids[2]);
    expect(map.delete(ids[0] ?? "")).toBe(true);
    expect(map.delete(ids[0] ?? "")).toBe(false);
    map.set("workflow_run_added", completeRun({ id: "workflow_run_added" }));
    expect(map.size).toBe(5);
    expect([...map.keys()]).toEqual([...ids.slice(1), "workflow_run_added"]);
    map.restoreSeeded();
    expect([...map.keys()]).toEqual(ids);
  });

  it("serves 20,000 runs: starts fast, finds any run by id, and lists them", async () => {
    const started = performance.now();
    const standIn = await startStandIn({ apiKey: API_KEY, runCount: 20_000, rate: 0 });
    try {
      expect(performance.now() - started).toBeLessThan(1500);
      const last = seededRunIds(20_000, 1).at(-1) ?? "";
      const run = await call(standIn, "GET", `/workflow_runs/${last}`);
      expect(run.status).toBe(200);
      expect(run.json.id).toBe(last);
      const list = await call(standIn, "GET", "/workflow_runs?maxPageSize=100&sortDir=asc");
      expect(list.json.data).toHaveLength(100);
      expect(standIn.runs.size).toBe(20_000);
    } finally {
      await standIn.close();
    }
  });
});

describe("examples/runs.csv", () => {
  const rows = parseCsv(readFileSync(new URL("../../examples/runs.csv", import.meta.url), "utf8"));
  const [header, ...data] = rows;
  const defaultIds = new Set(seededRunIds(200, 1));

  it("has the documented header and about 50 rows of 7 cells", () => {
    expect(header).toEqual([
      "Run ID",
      "Name",
      "metadata.customer",
      "metadata.invoiceTotal",
      "metadata.approved",
      "metadata.receivedOn",
      "Tags",
    ]);
    expect(data.length).toBeGreaterThanOrEqual(45);
    expect(data.length).toBeLessThanOrEqual(55);
    for (const row of data) expect(row).toHaveLength(7);
  });

  it("uses only runs of the default seeded set for its well-formed ids", () => {
    const wellFormed = data.map((row) => row[0] ?? "").filter((id) => RUN_ID.test(id));
    expect(wellFormed.length).toBeGreaterThanOrEqual(40);
    for (const id of wellFormed) expect(defaultIds.has(id), id).toBe(true);
  });

  it("contains the invalid and special rows the add-on must handle", () => {
    const ids = data.map((row) => row[0] ?? "");
    const cells = data.flat();
    expect(ids.some((id) => id.startsWith("exr_"))).toBe(true);
    expect(data.some((row) => row[0] === "" && row[1] !== "")).toBe(true);
    expect(ids.some((id) => id.includes(" "))).toBe(true);
    expect(ids.filter((id, index) => id !== "" && ids.indexOf(id) !== index)).toHaveLength(1);
    expect(cells).toContain("json:{not valid json");
    expect(cells).toContain('json:{"po":"PO-7781","lines":3}');
    expect(cells).toContain("#CLEAR");
    expect(data.filter((row) => row[0] !== "" && row.slice(1).every((cell) => cell === "")).length).toBe(2);
    const tags = data.map((row) => row[6] ?? "");
    for (const tag of ["customer 123", "acme!", "q2/2026", "prod, prod"]) {
      expect(
        tags.some((cell) => cell.includes(tag)),
        tag,
      ).toBe(true);
    }
  });
});

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (char !== "\r") field += char;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}
