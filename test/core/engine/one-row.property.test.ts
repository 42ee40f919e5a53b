// The engine's promise about hostile answers (fast-check): whatever one run's answers hold (arbitrary JSON,
// wrong types, nesting up to 10,000 levels, 60,000+ characters with the key, not JSON at all, any status but the
// ones that refuse the key or the organisation), a sync, an add or remove of tags, a refresh or a preview of
// three rows finishes, writes every other row exactly as when all answers are good, and gives that one row one
// outcome whose cells fit Sheets and hold no key.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { beginSync, ensureOutputColumns } from "../../../src/core/engine/begin";
import { runExecution } from "../../../src/core/engine/engine";
import { emptyCounts, type JobKind, type SyncJob } from "../../../src/core/engine/job";
import { planRefresh, planSync } from "../../../src/core/engine/plan";
import type { HttpResponse } from "../../../src/core/requests/classify";
import { scrubberFor } from "../../../src/core/requests/secrets";
import type { TagMode } from "../../../src/core/requests/tag-mode";
import { type CellValue, MAX_CELL_CHARACTERS } from "../../../src/core/sheet/cell";
import { engineDeps } from "../../support/engine-deps";
import { ArraySheet, type Responder } from "../../support/fake-ports";
import { anyBody, anyHeaders, HOSTILE_KEY } from "../hostile-arbitraries";

const IDS = ["workflow_run_good_0", "workflow_run_hostile", "workflow_run_good_2"];
const HOSTILE = IDS[1] as string;
const HEADER = ["Run ID", "metadata.team", "Tags", "Current Tags", "Current Metadata", "Credits"];

const good = (id: string): HttpResponse => ({
  status: 200,
  headers: {},
  body: JSON.stringify({
    object: "workflow_run",
    id,
    status: "PROCESSED",
    metadata: { team: "ops", "extend:usage_tags": ["a"] },
    usage: { credits: 1.5 },
    dashboardUrl: `https://dashboard.extend.ai/workflows/${id}`,
  }),
});

/** The sheet after one job of `kind` whose answers for the hostile run come from `hostile`. */
function runJob(
  kind: JobKind,
  tagMode: TagMode,
  hostile: Responder,
): { values: CellValue[][]; finished: boolean } {
  const sheet = new ArraySheet([[...HEADER], ...IDS.map((id) => [id, "ops", "a, b", "", "", ""])]);
  const respond: Responder = (request, call) => {
    const id = decodeURIComponent(request.url.split("/").pop() ?? "");
    return id === HOSTILE ? hostile(request, call) : good(id);
  };
  const { clock, deps } = engineDeps(sheet, respond, { scrub: scrubberFor([HOSTILE_KEY]) });
  const values = sheet.snapshot();
  const planned =
    kind === "refresh"
      ? planRefresh(values, "all", deps.parse)
      : planSync(values, "all", true, deps.parse, tagMode);
  if (!planned.ok) throw new Error(planned.problems.join(" "));
  const reading = kind !== "update";
  const outputs = ensureOutputColumns(sheet, planned.plan.columns, values, reading);
  const begun = beginSync(sheet, planned.plan, values, outputs, "job1", {
    forReading: reading,
    countOnly: kind === "preview",
  });
  const job: SyncJob = {
    id: "job1",
    kind,
    tagMode,
    sheetId: 1,
    sheetName: "Runs",
    scopeLabel: "all rows",
    allRows: true,
    force: true,
    startedBy: "ops@example.com",
    startedAt: clock.now(),
    lastActivityAt: clock.now(),
    executions: 0,
    rate: 10,
    rowsToSend: begun.rowsToSend,
    counts: { ...emptyCounts(), ...begun.counts },
    status: "running",
  };
  const { progress } = runExecution(deps, job, { values: begun.values, plan: planned.plan });
  return { values: sheet.snapshot(), finished: progress.state === "finished" };
}

/** A row's cells, times left out: a retried row makes the others answer later. */
const timeless = (row: readonly CellValue[] | undefined) =>
  (row ?? []).map((cell) => (cell instanceof Date ? "(a time)" : cell));

const jobs = fc.constantFrom<[JobKind, TagMode]>(
  ["update", "replace"],
  ["update", "add"],
  ["update", "remove"],
  ["refresh", "replace"],
  ["preview", "replace"],
);
const status = fc.oneof(
  { weight: 8, arbitrary: fc.constant(200) },
  { weight: 2, arbitrary: fc.integer({ min: 400, max: 599 }).filter((code) => code !== 401 && code !== 402) },
);
/** Every answer about the hostile run, attempt after attempt: hostile, or now and then good after all. */
const answers = fc.array(
  fc.oneof(
    { weight: 9, arbitrary: fc.record({ status, body: anyBody(HOSTILE), headers: anyHeaders }) },
    { weight: 1, arbitrary: fc.constant(good(HOSTILE)) },
  ),
  { minLength: 1, maxLength: 6 },
);

describe("one run's hostile answers", () => {
  const baseline = new Map<string, CellValue[][]>();

  it("decide that row alone: the job finishes and every other row is written as with good answers", () => {
    fc.assert(
      fc.property(jobs, answers, ([kind, tagMode], script) => {
        const key = `${kind}:${tagMode}`;
        if (!baseline.has(key)) baseline.set(key, runJob(kind, tagMode, () => good(HOSTILE)).values);
        let attempt = 0;
        const result = runJob(kind, tagMode, () => script[Math.min(attempt++, script.length - 1)] ?? null);
        expect(result.finished).toBe(true);
        const expected = baseline.get(key) ?? [];
        expect(result.values[0]).toEqual(expected[0]);
        for (const row of [1, 3]) expect(timeless(result.values[row])).toEqual(timeless(expected[row]));
        for (const cell of result.values.flat()) {
          if (typeof cell !== "string") continue;
          expect(cell.length).toBeLessThanOrEqual(MAX_CELL_CHARACTERS);
          expect(cell).not.toContain(HOSTILE_KEY);
        }
        // The hostile row has an outcome: its mark says done, whatever it is.
        expect(String(result.values[2]?.at(-1))).toMatch(/done=job1/);
      }),
      { numRuns: 40 },
    );
  });
});
