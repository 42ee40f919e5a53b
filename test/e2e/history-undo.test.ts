// History and undo end to end (issue 18): the built bundle syncs 1,000 rows in each tag mode against the
// stand-in with Keep history on, the history sheet holds one applied record per run with its values before,
// then Undo a sync… (the menu) puts every run back exactly as it was seeded, comparing the stand-in's stored
// runs before and after. Runs another client changes between the sync and the undo are skipped and reported
// with both values, never overwritten; an undo can itself be undone; an undo after a later sync skips the
// runs the later sync changed. An undo's list of runs not undone holds only its own. Undo a sync… while
// another job is unfinished names that job before an id is asked: a running one with what to do (nothing
// sent), a paused one offered to continue or to end for the undo. A sync that recorded some runs twice (killed
// after a commit of records) is undone run by run, its run log counting runs.
import { describe, expect, it } from "vitest";
import type { CellValue, GasHost } from "../../dev/gas-host/index.js";
import { clickAndFinish } from "../../dev/local-run.js";
import { toWorkflowRun } from "../../dev/stand-in/render.js";
import { buildUpdateRequest } from "../../src/core/requests/request.js";
import type { JsonValue } from "../../src/extend/api.js";
import { API_KEY, lastAlert, records, TIMINGS, useExtend } from "./harness.js";

const TAGS = "extend:usage_tags";
const HISTORY = "Extend Sync History";

const e2e = useExtend({ ...TIMINGS.modelOn });

type Metadata = Record<string, JsonValue>;

const ids = (count: number, prefix = "hist") =>
  Array.from({ length: count }, (_, index) => `workflow_run_${prefix}_${index}`);

/** Four kinds of run: no metadata, tags only, tags and the key, the key and another. */
function seeded(index: number): Metadata {
  switch (index % 4) {
    case 0:
      return {};
    case 1:
      return { [TAGS]: ["old", "shared"] };
    case 2:
      return { [TAGS]: ["shared"], costCenter: "CC-old" };
    default:
      return { other: "keep", costCenter: 7 };
  }
}

async function seed(runIds: readonly string[]): Promise<Metadata[]> {
  const metadata = runIds.map((_, index) => seeded(index));
  await e2e.extend.addRuns(
    runIds.map((id, index) => ({ id, metadata: structuredClone(metadata[index] ?? {}) })),
  );
  return metadata;
}

async function stored(runIds: readonly string[]): Promise<Metadata[]> {
  return (await e2e.extend.getRuns(runIds)).map((run) => (run?.metadata ?? {}) as Metadata);
}

/**
 * What an undo leaves where a run lacked a key the sync set: the undo sends null (an empty list for the tags),
 * and this stand-in (as Extend may) stores it. Such values are dropped before comparing with the seeded runs.
 */
function withoutNulls(metadata: Metadata): Metadata {
  return Object.fromEntries(
    Object.entries(metadata).filter(
      ([key, value]) => value !== null && !(key === TAGS && Array.isArray(value) && value.length === 0),
    ),
  );
}

function rows(runIds: readonly string[], tags: string): CellValue[][] {
  return [["Run ID", "Tags", "metadata.costCenter"], ...runIds.map((id, index) => [id, tags, `CC-${index}`])];
}

const MENU_ITEM: Record<string, string> = {
  replace: "Sync all rows",
  add: "Add tags: all rows",
  remove: "Remove tags: all rows",
};

/** The id of the newest job of the history sheet. */
function lastJobId(host: GasHost): string {
  const history = records(host, HISTORY);
  return String(history[history.length - 1]?.["Job ID"] ?? "");
}

/** Undo a sync… from the menu: the prompt answered with the job id, the confirmation with Yes. */
function undoFromMenu(host: GasHost, jobId: string) {
  host.ui.answerNext({ button: "OK", text: jobId }).answerNext({ button: "YES" });
  return clickAndFinish(host, "Undo a sync…");
}

/** Another client's change, through the stand-in's API with the key, as a colleague's script would make it. */
async function otherClientSets(runId: string, metadata: Metadata): Promise<void> {
  const request = buildUpdateRequest(runId, { metadata }, { baseUrl: e2e.extend.url, apiKey: API_KEY });
  const answer = await fetch(request.url, {
    method: "POST",
    headers: { ...request.headers, "content-type": request.contentType },
    body: request.payload,
  });
  expect(answer.status).toBe(200);
}

describe("history and undo of a sync of 1,000 rows", () => {
  it.each(["replace", "add", "remove"])(
    "tags %s: every change recorded ahead, the undo restores every run exactly",
    async (mode) => {
      const runIds = ids(1000, mode);
      const before = await seed(runIds);
      const host = e2e.newHost({
        rows: rows(runIds, mode === "remove" ? "shared" : "shared, new-tag"),
        keepHistory: true,
      });
      clickAndFinish(host, MENU_ITEM[mode] ?? "");
      const synced = await stored(runIds);
      expect(synced.every((metadata, index) => metadata.costCenter === `CC-${index}`)).toBe(true);

      const history = records(host, HISTORY);
      expect(history).toHaveLength(1000);
      expect(new Set(history.map((row) => row["Run ID"]))).toEqual(new Set(runIds));
      expect(history.every((row) => row["History State"] === "Applied")).toBe(true);
      expect(history.every((row) => row["Tag Mode"] === mode)).toBe(true);
      const jobId = lastJobId(host);
      expect(records(host, "Extend Sync Log")[0]?.["Sync ID"]).toBe(jobId);

      undoFromMenu(host, jobId);
      const confirmation = host.ui.alerts.find((alert) => alert.title === "Undo this sync?");
      expect(confirmation?.prompt).toContain("1000 runs are read");
      expect(confirmation?.prompt).toContain("changed since are skipped");
      const after = await stored(runIds);
      after.forEach((metadata, index) => {
        const seededRun = before[index] ?? {};
        expect(withoutNulls(metadata), runIds[index]).toEqual(seededRun);
        // Only keys the run lacked before and the sync set are left null.
        for (const key of Object.keys(metadata))
          if (!(key in seededRun)) expect(metadata[key], key).toEqual(key === TAGS ? [] : null);
      });
      expect(lastAlert(host)).toMatch(/^Undo finished/);
      // The undo's own changes are recorded too: it can itself be undone.
      const undoRecords = records(host, HISTORY).filter((row) => row.Job === `undo of ${jobId}`);
      expect(undoRecords.length).toBeGreaterThan(0);
      expect(undoRecords.every((row) => row["History State"] === "Applied")).toBe(true);
    },
    120_000,
  );
});

describe("a history sheet the person has changed", () => {
  it("writes each record under its headers after a column was inserted, and the undo still restores exactly", async () => {
    const runIds = ids(12, "layout");
    await seed(runIds);
    const host = e2e.newHost({ rows: rows(runIds, "first"), keepHistory: true });
    clickAndFinish(host, "Sync all rows");
    const synced = await stored(runIds);

    // Finance adds a column of notes after the first column of the history sheet, as one would in an audit.
    const history = host.spreadsheet.sheet(HISTORY);
    history.insertColumns(1, 1);
    history.setValues("B1", [["Note"], ...runIds.map(() => ["checked"])]);

    host.spreadsheet.sheet("Runs").setValues(
      "B2",
      runIds.map(() => ["later"]),
    );
    clickAndFinish(host, "Sync all rows");
    const laterId = lastJobId(host);
    const laterRecords = records(host, HISTORY).filter((row) => row["Job ID"] === laterId);
    expect(laterRecords.map((row) => row["Run ID"])).toEqual(runIds);
    expect(laterRecords.every((row) => row["History State"] === "Applied" && row.Note === "")).toBe(true);
    expect(records(host, HISTORY).filter((row) => row.Note === "checked")).toHaveLength(12);

    undoFromMenu(host, laterId);
    expect(lastAlert(host)).toMatch(/^Undo finished/);
    expect(await stored(runIds)).toEqual(synced);
  });
});

describe("what an undo leaves alone", () => {
  it("skips runs another client changed since the sync, with both values, and undoes the rest", async () => {
    const runIds = ids(40, "other");
    const before = await seed(runIds);
    const host = e2e.newHost({ rows: rows(runIds, "mine"), keepHistory: true });
    clickAndFinish(host, "Sync all rows");
    // The progress says the history is kept.
    expect(lastAlert(host)).toContain('Every change is recorded in the sheet "Extend Sync History"');
    const jobId = lastJobId(host);
    const changed = [runIds[3] ?? "", runIds[10] ?? "", runIds[17] ?? ""];
    for (const id of changed) await otherClientSets(id, { [TAGS]: ["theirs"] });

    undoFromMenu(host, jobId);
    const after = await stored(runIds);
    runIds.forEach((id, index) => {
      if (changed.includes(id)) expect(after[index]?.[TAGS], id).toEqual(["theirs"]);
      else expect(withoutNulls(after[index] ?? {}), id).toEqual(before[index]);
    });
    const undoRows = records(host, HISTORY).filter((row) => row["Job ID"] === jobId);
    for (const id of changed) {
      const row = undoRows.find((candidate) => candidate["Run ID"] === id);
      expect(row?.["Sync Error"]).toMatch(
        /^CHANGED_SINCE: Not undone: the run was changed since that sync\./,
      );
      expect(row?.["Sync Error"]).toContain("Extend now holds tags theirs");
      expect(row?.["Sync Error"]).toContain('the sync had set tags ["mine"]');
    }
    expect(lastAlert(host)).toContain("3 not undone (changed since the sync, or failed)");
  });

  it("records the values read before the update: another client's change in between is overwritten, and an undo brings back what was read", async () => {
    const runIds = ids(3, "between");
    await seed(runIds);
    const target = runIds[2] ?? "";
    // The add-on reads the run (costCenter CC-old); another client then sets it to "theirs" before the update.
    // Seen from the add-on, that is a read answered with the run as it was before the other client's change.
    await otherClientSets(target, { costCenter: "theirs" });
    const current = await e2e.extend.getRun(target);
    if (!current) throw new Error("the seeded run is missing");
    const asRead = toWorkflowRun({ ...current, metadata: { ...current.metadata, costCenter: "CC-old" } });
    await e2e.extend.setFaults([
      { kind: "custom", match: { method: "GET", runId: target }, body: JSON.stringify(asRead) },
    ]);
    const host = e2e.newHost({ rows: rows(runIds, "shared"), keepHistory: true });
    clickAndFinish(host, "Sync all rows");
    await e2e.extend.setFaults([]);
    expect((await stored([target]))[0]?.costCenter).toBe("CC-2");
    const record = records(host, HISTORY).find((row) => row["Run ID"] === target);
    expect(String(record?.["Values Before"])).toContain("CC-old");
    expect(String(record?.["Values Before"])).not.toContain("theirs");

    undoFromMenu(host, lastJobId(host));
    expect((await stored([target]))[0]?.costCenter).toBe("CC-old");
  });

  it("undoes an undo, and an undo after a later sync skips the runs that sync changed again", async () => {
    const runIds = ids(12, "twice");
    const before = await seed(runIds);
    const host = e2e.newHost({ rows: rows(runIds, "first"), keepHistory: true });
    clickAndFinish(host, "Sync all rows");
    const syncId = lastJobId(host);
    const synced = await stored(runIds);

    undoFromMenu(host, syncId);
    expect((await stored(runIds)).map(withoutNulls)).toEqual(before);
    const undoId = lastJobId(host);
    expect(undoId).not.toBe(syncId);
    expect(lastAlert(host)).toMatch(/not undone \(changed since the sync, or failed\)/);

    // Undoing the undo brings the sync's values back. The menu's list names each job in plain words.
    undoFromMenu(host, undoId);
    const listed = host.ui.prompts.at(-1)?.prompt ?? "";
    expect(listed).toMatch(
      new RegExp(`\\n${undoId}: undo of ${syncId}, [^\\n]*, tester@example\\.com, 12 runs\\n`),
    );
    expect(listed).toMatch(
      new RegExp(
        `\\n${syncId}: sync of the sheet "Runs", [^\\n]*, tester@example\\.com, 12 runs \\(undone by the undo ${undoId}\\)$`,
      ),
    );
    expect(await stored(runIds)).toEqual(synced);
    // Its end speaks of the undo it undid, not of a sync.
    expect(lastAlert(host)).toMatch(
      /^Undo finished: 12 runs put back as they were, .*\(changed since the undo, or failed\)/,
    );

    // A later sync changes half of the runs again; undoing the first sync leaves those alone.
    host.spreadsheet.sheet("Runs").setValues(
      "B2",
      runIds.map((_, index) => [index % 2 === 0 ? "later" : "first"]),
    );
    clickAndFinish(host, "Sync all rows");
    const afterLater = await stored(runIds);
    undoFromMenu(host, syncId);
    const after = await stored(runIds);
    runIds.forEach((id, index) => {
      if (index % 2 === 0) expect(after[index], id).toEqual(afterLater[index]);
      else expect(withoutNulls(after[index] ?? {}), id).toEqual(before[index]);
    });
  });
});

describe("the runs an undo lists at its end", () => {
  it("are only this undo's: an earlier undo's skipped run, still Failed in the history sheet, is not listed", async () => {
    const runIds = ids(6, "scoped");
    await seed(runIds);
    const host = e2e.newHost({ rows: rows(runIds, "first"), keepHistory: true });
    clickAndFinish(host, "Sync all rows");
    const firstSync = lastJobId(host);
    await otherClientSets(runIds[1] ?? "", { [TAGS]: ["theirs"] });
    undoFromMenu(host, firstSync);
    const firstUndo = lastJobId(host);

    host.spreadsheet.sheet("Runs").setValues(
      "B2",
      runIds.map(() => ["second"]),
    );
    clickAndFinish(host, "Sync all rows");
    const secondSync = lastJobId(host);
    await otherClientSets(runIds[4] ?? "", { [TAGS]: ["theirs-too"] });
    undoFromMenu(host, secondSync);
    const secondUndo = lastJobId(host);
    expect(new Set([firstSync, firstUndo, secondSync, secondUndo]).size).toBe(4);

    const listed = (jobId?: string) => {
      const answer = host.runFromClient("rowsToFix", jobId === undefined ? [HISTORY] : [HISTORY, jobId])
        .returned as { ok: true; value: { failed: { rows: { runId: string; text: string }[] } } };
      return answer.value.failed.rows;
    };
    // The history sheet still holds the first undo's skipped run as Failed; the second undo lists only its own.
    expect(listed().map((row) => row.runId)).toEqual([runIds[1], runIds[4]]);
    expect(listed(secondUndo).map((row) => row.runId)).toEqual([runIds[4]]);
    expect(listed(secondUndo)[0]?.text).toMatch(/changed since that sync.*theirs-too/);
    expect(listed(firstUndo).map((row) => row.runId)).toEqual([runIds[1]]);
  });
});

describe("Undo a sync… while another job is unfinished", () => {
  it("names a job running now before asking for an id, and sends nothing", async () => {
    const runIds = ids(30, "menubusy");
    await seed(runIds);
    const host = e2e.newHost({ rows: rows(runIds, "mine"), keepHistory: true, rate: 20 });
    clickAndFinish(host, "Sync all rows");
    const sent = (await e2e.extend.stats()).updateRequests.length;
    const prompts = host.ui.prompts.length;
    let undo: ReturnType<GasHost["clickMenuItem"]> | undefined;
    host.clickMenuItem("Refresh from Extend: all rows", {
      onServiceCall: (call) => {
        if (!undo && call.key === "UrlFetchApp.fetchAll") undo = host.clickMenuItem("Undo a sync…");
      },
    });
    expect(undo?.error).toBeUndefined();
    const refusal = host.ui.alerts.find((alert) => alert.prompt.startsWith("The undo cannot start now"));
    expect(refusal?.prompt).toMatch(
      /^The undo cannot start now: a refresh of the sheet "Runs", started by tester@example\.com at \d{4}-\d\d-\d\d \d\d:\d\d \(Europe\/Berlin\), is running\. Nothing was sent\. Wait for it to finish \(the sidebar driving it shows its progress and can pause it\), then try again\.$/,
    );
    expect(host.ui.prompts).toHaveLength(prompts);
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(sent);
  });

  it("offers a paused job first: Cancel leaves it, No ends it and the undo puts every run back", async () => {
    const runIds = ids(40, "menupaused");
    const before = await seed(runIds);
    const host = e2e.newHost({
      rows: rows(runIds, "mine"),
      keepHistory: true,
      rate: 10,
      executionBudgetSeconds: 3,
    });
    clickAndFinish(host, "Sync all rows");
    const syncId = lastJobId(host);
    const refresh = host.runFromClient("startRefreshJob", [{ selectedRowsOnly: false }]).returned as {
      jobId: string;
      state: string;
    };
    expect(refresh.state).toBe("paused");
    expect(host.runFromClient("pauseSyncJob", [refresh.jobId]).returned).toMatchObject({
      value: { paused: true },
    });
    const prompts = host.ui.prompts.length;

    host.ui.answerNext({ button: "CANCEL" });
    host.clickMenuItem("Undo a sync…");
    const offered = host.ui.alerts.at(-1);
    expect(offered?.title).toBe("A paused refresh exists");
    expect(offered?.prompt).toMatch(
      /^A refresh of the sheet "Runs", started by tester@example\.com at .+, was paused before it finished\. Paused by tester@example\.com at \d{4}-\d\d-\d\d \d\d:\d\d \(Europe\/Berlin\)\. Continue it\? \(No ends it and starts the new undo instead\.\)$/,
    );
    expect(host.ui.prompts).toHaveLength(prompts);

    // No: the refresh is ended, then the id and the confirmation are asked as usual.
    host.ui
      .answerNext({ button: "NO" })
      .answerNext({ button: "OK", text: syncId })
      .answerNext({ button: "YES" });
    clickAndFinish(host, "Undo a sync…");
    expect((await stored(runIds)).map(withoutNulls)).toEqual(before);
    expect(host.ui.alerts.map((alert) => alert.title)).toContain("Undo this sync?");
  });
});

describe("a sync that recorded some runs twice", () => {
  it("is undone run by run: each run put back once, the run log counting runs, every record showing the outcome", async () => {
    const runIds = ids(20, "recorded-twice");
    const before = await seed(runIds);
    const host = e2e.newHost({ rows: rows(runIds, "again"), keepHistory: true, rate: 10 });
    // Killed as its first updates were about to leave: their records are committed, the updates never sent, so
    // the next execution reads those runs again and records them again.
    const first = host.clickMenuItem("Sync all rows", {
      killWhen: (call) => call.key === "UrlFetchApp.fetchAll" && call.count === 2,
    });
    expect(first.killed).toBe(true);
    // The killed execution's claim on the job is waited out, as a person coming back later would.
    const saved = JSON.parse(host.documentProperties.get("extendSync.job") ?? "{}");
    const expiresAt = saved.lease?.expiresAt;
    if (typeof expiresAt === "number" && expiresAt >= host.clock.now())
      host.clock.wait(expiresAt - host.clock.now() + 1);
    clickAndFinish(host, "Continue paused sync");
    expect(lastAlert(host)).toMatch(/^Sync finished/);

    const jobId = lastJobId(host);
    const syncRecords = records(host, HISTORY).filter((row) => row["Job ID"] === jobId);
    const perRun = new Map<string, number>();
    for (const row of syncRecords)
      perRun.set(String(row["Run ID"]), (perRun.get(String(row["Run ID"])) ?? 0) + 1);
    expect(perRun.size).toBe(20);
    expect([...perRun.values()].filter((count) => count === 2).length).toBeGreaterThan(0);

    undoFromMenu(host, jobId);
    expect(lastAlert(host)).toMatch(/^Undo finished/);
    const after = await stored(runIds);
    after.forEach((metadata, index) => {
      expect(withoutNulls(metadata), runIds[index]).toEqual(before[index]);
    });
    const undoLog = records(host, "Extend Sync Log").find((row) => row.Kind === "Undo");
    expect(Number(undoLog?.Updated)).toBe(20);
    // Both records of a run recorded twice carry the undo's one outcome.
    const undone = records(host, HISTORY).filter((row) => row["Job ID"] === jobId);
    expect(undone).toHaveLength(syncRecords.length);
    expect(undone.every((row) => String(row["Sync Result"]).startsWith("Updated"))).toBe(true);
  });
});
