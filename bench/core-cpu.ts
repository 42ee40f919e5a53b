// CPU time of the add-on's pure core per row, without Apps Script or the host: header mapping, row parsing
// and validation, planning with fingerprints, request building, classifying a realistic 200 answer, the
// outcome cells and the write plan, over 100,000 generated rows: the plan over the whole sheet, as an
// execution's first read makes it, the answers a commit of rows at a time, as the engine writes them. The only
// file of the benchmark that imports src/ directly; when the core's functions change shape, this is the file to
// follow them.

import { cpuNow } from "../dev/gas-host/clock.js";
import { toWorkflowRun } from "../dev/stand-in/render.js";
import { generateSeededRuns } from "../dev/stand-in/runs.js";
import { outcomeCells, type RowOutcome } from "../src/core/engine/outcome.js";
import { MAX_UNCOMMITTED_ROWS } from "../src/core/engine/outcome-writer.js";
import { planSync } from "../src/core/engine/plan.js";
import { classifyAttempt } from "../src/core/requests/classify.js";
import { buildUpdateRequest } from "../src/core/requests/request.js";
import { scrubberFor } from "../src/core/requests/secrets.js";
import type { OutputColumn } from "../src/core/sheet/headers.js";
import { planWrites, type RowWrite } from "../src/core/sheet/write-plan.js";
import { BENCH_HEADER, benchRows } from "./sheet-data.js";

export interface CoreCpu {
  rows: number;
  /** CPU microseconds per row, all stages together and by stage. */
  microsPerRow: number;
  stages: Record<string, number>;
  /** Of "classify answers": JSON.parse of the answer alone, measured apart (not added to the total). */
  jsonParseMicrosPerRow: number;
  /** Average length of the answers parsed, characters. */
  answerLength: number;
  /** Rows whose answers are handled together, as one commit of the engine. */
  commitRows: number;
}

const OUTPUTS: Record<OutputColumn, number> = {
  result: 5,
  status: 6,
  syncedAt: 7,
  error: 8,
  link: 9,
  state: 10,
};
const CONNECTION = { baseUrl: "https://api.extend.ai", apiKey: "bench-key-not-secret" };
const SCRUB = scrubberFor([CONNECTION.apiKey]);
const SYNC_ID = "bench001";
const dateToIso = (date: Date) => date.toISOString();

/** Answers are classified, turned into cells and planned as writes a commit at a time, as the engine does. */
const COMMIT_ROWS = MAX_UNCOMMITTED_ROWS;

function pipeline(values: unknown[][], bodies: Map<string, string>, stages: Record<string, number>): void {
  let mark = cpuNow();
  const lap = (stage: string) => {
    const now = cpuNow();
    stages[stage] = (stages[stage] ?? 0) + (now - mark);
    mark = now;
  };
  const planned = planSync(values as never, "all", false, { dateToIso });
  if (!planned.ok) throw new Error(`core benchmark: ${planned.problems.join(" ")}`);
  lap("map headers, parse, plan, fingerprint");
  const toSend = planned.plan.rows.flatMap((row) =>
    "send" in row.action ? [{ row, send: row.action }] : [],
  );
  const requests = toSend.map(({ row, send }) => buildUpdateRequest(row.runId, send.send, CONNECTION));
  lap("build requests");
  const now = Date.now();
  for (let first = 0; first < toSend.length; first += COMMIT_ROWS) {
    const commit = toSend.slice(first, first + COMMIT_ROWS);
    mark = cpuNow();
    const verdicts = commit.map(({ row }) =>
      classifyAttempt(
        { response: { status: 200, headers: {}, body: bodies.get(row.runId) ?? "{}" } },
        now,
        SCRUB,
      ),
    );
    lap("classify answers");
    const writes: RowWrite[] = commit.map(({ row, send }, index) => {
      const verdict = verdicts[index];
      const outcome: RowOutcome =
        verdict?.kind === "success"
          ? {
              kind: "updated",
              runStatus: verdict.runStatus,
              syncedAt: new Date(now),
              fingerprint: send.fingerprint,
              tagChanges: send.tagChanges,
            }
          : { kind: "noop" };
      const before = { runId: row.runId, state: row.state, link: row.previous.link ?? "" };
      return { row: row.row, values: outcomeCells(outcome, before, SYNC_ID) };
    });
    lap("outcome cells");
    planWrites(writes, OUTPUTS);
    lap("write plan");
  }
  if (requests.length !== values.length - 1) throw new Error("core benchmark: not every row was planned");
}

/** CPU per row of JSON.parse alone on the same answers: the part of "classify answers" no code of ours can cut. */
function parseAlone(bodies: Map<string, string>): number {
  const start = cpuNow();
  let objects = 0;
  for (const body of bodies.values()) if (typeof JSON.parse(body) === "object") objects += 1;
  if (objects !== bodies.size) throw new Error("core benchmark: an answer is not an object");
  return ((cpuNow() - start) * 1000) / bodies.size;
}

/** Times the pipeline on `rows` rows after a warm-up run, as CPU time. */
export function measureCoreCpu(rows = 100_000): CoreCpu {
  const values = [BENCH_HEADER, ...benchRows(rows)];
  const runs = generateSeededRuns(rows);
  const bodies = new Map<string, string>();
  for (const row of values.slice(1)) {
    const id = String(row[0]);
    const run = runs.get(id);
    bodies.set(id, JSON.stringify(run ? toWorkflowRun(run) : { id, status: "PROCESSED" }));
  }
  pipeline(values.slice(0, Math.min(values.length, 10_001)), bodies, {});
  const stages: Record<string, number> = {};
  pipeline(values, bodies, stages);
  const total = Object.values(stages).reduce((sum, ms) => sum + ms, 0);
  return {
    rows,
    microsPerRow: (total * 1000) / rows,
    stages: Object.fromEntries(Object.entries(stages).map(([stage, ms]) => [stage, (ms * 1000) / rows])),
    jsonParseMicrosPerRow: parseAlone(bodies),
    answerLength: [...bodies.values()].reduce((sum, body) => sum + body.length, 0) / bodies.size,
    commitRows: COMMIT_ROWS,
  };
}
