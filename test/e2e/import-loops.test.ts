// A broken List cannot make an import loop, end to end with the built bundle in the local host against the
// stand-in scripting a broken List's cursors: one seen before stops the import, so do pages that bring no new
// run, and so does needing more pages than the import's maximum allows.
import { describe, expect, it } from "vitest";
import { startAndFinish, syncUnfinished } from "../../dev/local-run.js";
import type { FaultRule } from "../../dev/stand-in/faults.js";
import type { HostileCursor } from "../../dev/stand-in/list.js";
import { PAGES_WITHOUT_NEW_RUN_LIMIT, pageBudget } from "../../src/core/jobs/import/import-guard.js";
import { importForm } from "../support/sidebar-fixtures.js";
import { importedSheet, records, TIMINGS, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 200, ...TIMINGS.modelOn });
const PAGE = 7;

const brokenList = (cursor: HostileCursor): FaultRule => ({
  kind: "list-cursor",
  cursor,
  times: "unlimited",
  match: { path: "/workflow_runs" },
});

/** Runs an import to its end against a broken List; what the person was told, and the List requests made. */
async function importAgainst(cursor: HostileCursor, max?: number) {
  await e2e.extend.configure({ maxPageSize: PAGE });
  await e2e.extend.setFaults([brokenList(cursor)]);
  const host = e2e.newHost({ rows: [["Notes"]], ...TIMINGS.modelOn });
  const run = startAndFinish(host, "startImportJob", [importForm(max ? { max: String(max) } : {})]);
  const answer = run.executions.at(-1)?.returned as { state: string; message: string };
  const { listQueries } = await e2e.extend.stats();
  expect(syncUnfinished(host)).toBe(false);
  return { host, answer, listQueries, ended: String(records(host, "Extend Sync Log").at(-1)?.Ended) };
}

describe("an import against a List whose cursors go round", () => {
  it("stops at the first cursor it has seen before (A, B, A…), with the runs read so far kept", async () => {
    const { host, answer, listQueries, ended } = await importAgainst("cycle");
    expect(answer.state).toBe("stopped");
    expect(answer.message).toMatch(/^LIST_LOOP: .*cursor it had already sent/);
    expect(ended).toMatch(/^Stopped: LIST_LOOP: /);
    expect(listQueries).toHaveLength(3);
    expect(records(host, importedSheet(host))).toHaveLength(PAGE);
  });

  it(`stops after ${PAGES_WITHOUT_NEW_RUN_LIMIT} pages in a row bring no new run (a fresh cursor each page, the same runs)`, async () => {
    const { host, answer, listQueries, ended } = await importAgainst("fresh");
    expect(answer.state).toBe("stopped");
    expect(answer.message).toMatch(/^LIST_LOOP: .*pages in a row/);
    expect(ended).toMatch(/^Stopped: LIST_LOOP: /);
    expect(listQueries).toHaveLength(1 + PAGES_WITHOUT_NEW_RUN_LIMIT);
    expect(records(host, importedSheet(host))).toHaveLength(PAGE);
  });

  it("stops once it needs more pages than its maximum allows (each page brings one new run)", async () => {
    const max = 40;
    const budget = pageBudget(max, PAGE);
    expect(budget).toBeLessThan(max - PAGE);
    const { host, answer, listQueries } = await importAgainst("creep", max);
    expect(answer.state).toBe("stopped");
    expect(answer.message).toMatch(/^LIST_LOOP: .*more than \d+ pages/);
    expect(listQueries).toHaveLength(budget);
    expect(records(host, importedSheet(host))).toHaveLength(PAGE + budget - 1);
  });
});
