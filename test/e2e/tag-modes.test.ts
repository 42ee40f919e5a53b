// Tag modes and the preview end to end: the built bundle adds and removes tags against the stand-in over HTTP
// (which replaces the tag list on update, as the API does), with faults injected between each row's read and
// its write, and the stand-in's stored tags checked after; a preview marks rows that would change nothing, and
// the sync after it does not send them.
import { describe, expect, it } from "vitest";
import type { CellValue } from "../../dev/gas-host/index.js";
import { clickAndFinish } from "../../dev/local-run.js";
import { columns, lastAlert, records, useExtend } from "./harness.js";

const TAGS = "extend:usage_tags";

const e2e = useExtend();

const ids = (count: number) => Array.from({ length: count }, (_, index) => `workflow_run_tagmode_${index}`);

/** Runs with known tags (and another key that must survive). */
async function seedRuns(runIds: readonly string[], tags: string[]) {
  await e2e.extend.addRuns(runIds.map((id) => ({ id, metadata: { [TAGS]: tags, keep: "me" } })));
}

async function storedTags(runIds: readonly string[]): Promise<unknown[]> {
  const tags = [];
  for (const id of runIds) tags.push((await e2e.extend.getRun(id))?.metadata[TAGS]);
  return tags;
}

function rows(runIds: readonly string[], tags: string): CellValue[][] {
  return [["Run ID", "Tags"], ...runIds.map((id) => [id, tags])];
}

describe("Add tags", () => {
  it("adds to each run's current tags although writes fail, answers are lost and reads fail on the way", async () => {
    const runIds = ids(12);
    await seedRuns(runIds, ["existing", "shared"]);
    await e2e.extend.setFaults([
      { kind: "500-json", match: { method: "POST", runId: runIds[1] } },
      { kind: "drop-after-apply", match: { method: "POST", runId: runIds[2] } },
      { kind: "drop", match: { method: "POST", runId: runIds[3] } },
      { kind: "503", match: { method: "GET", runId: runIds[4] } },
      { kind: "malformed", match: { method: "POST", runId: runIds[5] } },
    ]);
    const host = e2e.newHost({ rows: rows(runIds, "shared, new one") });
    clickAndFinish(host, "Add tags: all rows");

    expect(await storedTags(runIds)).toEqual(Array(12).fill(["existing", "shared", "newone"]));
    for (const id of runIds) expect((await e2e.extend.getRun(id))?.metadata.keep).toBe("me");
    expect(columns(host)["Sync Result"]).toEqual(
      Array(12).fill('Updated; tags: "new one" is sent as "newone"'),
    );
    // A write that failed or lost its answer went back to a fresh read: no stale list was ever posted.
    const posts = (await e2e.extend.stats()).updateRequests;
    for (const post of posts)
      expect((post.body as { metadata: Record<string, unknown> }).metadata[TAGS]).toEqual([
        "existing",
        "shared",
        "newone",
      ]);
    expect(posts.length).toBeGreaterThan(12);
    const confirmation = host.ui.alerts.find((alert) => alert.title === "Extend will change some tags");
    expect(confirmation?.prompt).toMatch(/^Tag mode: add\. .* 12 rows name tags\./);
    expect(records(host, "Extend Sync Log")[0]).toMatchObject({ Kind: "Sync (tags: add)", Updated: 12 });
    expect(lastAlert(host)).toMatch(/^Sync finished: 12 updated.* Tag mode: add\./);
  });

  it("reads again after an execution killed between its reads and its writes, keeping a tag added meanwhile", async () => {
    const runIds = ids(20);
    await seedRuns(runIds, ["a"]);
    const host = e2e.newHost({ rows: rows(runIds, "mine"), rate: 10, executionLimitSeconds: 3 });
    // The first fetchAll reads the first ten runs; the execution dies before anything is written.
    const first = host.clickMenuItem("Add tags: all rows", {
      executionLimitMs: 3_000,
      killWhen: (call) => call.key === "UrlFetchApp.fetchAll" && call.count === 2,
    });
    expect(first.killed).toBe(true);
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(0);
    await e2e.extend.addRuns(runIds.map((id) => ({ id, metadata: { [TAGS]: ["a", "theirs"], keep: "me" } })));
    // The killed execution holds the sync until its time limit has passed; then it goes on.
    clickAndFinish(host, "Continue paused sync", { executionLimitMs: 3_000 });
    expect(await storedTags(runIds)).toEqual(Array(20).fill(["a", "theirs", "mine"]));
    expect(columns(host)["Sync Result"]).toEqual(Array(20).fill("Updated"));
  });
});

describe("Remove tags", () => {
  it("removes only the named tags, also when a write fails after it was applied", async () => {
    const runIds = ids(6);
    await seedRuns(runIds, ["a", "b", "c"]);
    await e2e.extend.setFaults([
      { kind: "drop-after-apply", match: { method: "POST", runId: runIds[0] } },
      { kind: "status", status: 502, match: { method: "POST", runId: runIds[1] } },
    ]);
    const host = e2e.newHost({ rows: rows(runIds, "b, not-there") });
    clickAndFinish(host, "Remove tags: all rows");
    expect(await storedTags(runIds)).toEqual(Array(6).fill(["a", "c"]));
    expect(records(host, "Extend Sync Log")[0]).toMatchObject({ Kind: "Sync (tags: remove)" });
  });

  it("refuses #CLEAR, which only Replace does, and sends nothing for that row", async () => {
    const runIds = ids(2);
    await seedRuns(runIds, ["a"]);
    const host = e2e.newHost({
      rows: [
        ["Run ID", "Tags"],
        [runIds[0] ?? "", "#CLEAR"],
        [runIds[1] ?? "", "a"],
      ],
    });
    clickAndFinish(host, "Remove tags: all rows");
    expect(columns(host)["Sync Result"]).toEqual(["Invalid", "Updated"]);
    expect(await storedTags(runIds)).toEqual([["a"], []]);
  });
});

describe("Preview against current values", () => {
  it("marks rows that would change nothing; the sync after it sends only the others", async () => {
    const runIds = ids(5);
    await e2e.extend.addRuns([
      { id: runIds[0] ?? "", metadata: { team: "ops", [TAGS]: ["prod"] } },
      { id: runIds[1] ?? "", metadata: { team: "finance", [TAGS]: ["prod"] } },
      { id: runIds[2] ?? "", metadata: { team: "ops", [TAGS]: ["prod", "eu"] } },
      { id: runIds[3] ?? "", metadata: { team: "ops" } },
      { id: runIds[4] ?? "", metadata: { team: "ops", [TAGS]: ["prod"] } },
    ]);
    const host = e2e.newHost({
      rows: [
        ["Run ID", "Name", "metadata.team", "Tags"],
        [runIds[0] ?? "", "", "ops", "prod"],
        [runIds[1] ?? "", "", "ops", "prod"],
        [runIds[2] ?? "", "", "ops", "eu, prod"],
        [runIds[3] ?? "", "", "ops", "prod"],
        [runIds[4] ?? "", "A name", "ops", "prod"],
      ],
    });
    clickAndFinish(host, "Compare rows with Extend (preview)");
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(0);
    const dialog = host.ui.shown.at(-1);
    expect(dialog?.title).toBe("Preview: current and proposed values (nothing was sent)");
    expect(dialog?.html).toMatch(
      /2 rows would change, 1 match except for a Name \(which cannot be compared\),\s+2 already match Extend/,
    );
    expect(dialog?.html).toContain(
      '<th scope="row">metadata.team</th><td>&#34;finance&#34;</td><td>&#34;ops&#34;</td>',
    );
    expect(columns(host)["Sync Result"]).toEqual(["", "", "", "", ""]);
    expect(columns(host)["Current Tags"]).toEqual(["prod", "prod", "prod, eu", "", "prod"]);

    clickAndFinish(host, "Sync all rows");
    const sent = (await e2e.extend.stats()).updateRequests.map((request) => request.runId);
    expect(sent.sort()).toEqual([runIds[1], runIds[3], runIds[4]].sort());
    expect(columns(host)["Sync Result"]).toEqual(["Unchanged", "Updated", "Unchanged", "Updated", "Updated"]);
  });

  it("compares under the tag mode: adding tags a run has changes nothing", async () => {
    const runIds = ids(2);
    await e2e.extend.addRuns([
      { id: runIds[0] ?? "", metadata: { [TAGS]: ["prod", "eu"] } },
      { id: runIds[1] ?? "", metadata: { [TAGS]: ["eu"] } },
    ]);
    const host = e2e.newHost({ rows: rows(runIds, "prod") });
    clickAndFinish(host, "Preview adding tags");
    clickAndFinish(host, "Add tags: all rows");
    expect((await e2e.extend.stats()).updateRequests.map((request) => request.runId)).toEqual([runIds[1]]);
    expect(await storedTags(runIds)).toEqual([
      ["prod", "eu"],
      ["eu", "prod"],
    ]);
  });
});
