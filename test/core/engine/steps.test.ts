// The steps of a row's work, run by the engine on plain data against a small stateful Extend: add and remove
// read the run's tags and post the union or difference, go back to the read after a failed write, and never
// lose a tag the user did not name; refresh and preview read, paced in the GET category apart from writes.
import { describe, expect, it } from "vitest";
import { beginSync, ensureOutputColumns } from "../../../src/core/engine/begin";
import { type EngineDeps, runExecution } from "../../../src/core/engine/engine";
import { emptyCounts, type JobKind, type SyncJob } from "../../../src/core/engine/job";
import { planRefresh, planSync } from "../../../src/core/engine/plan";
import { decodeRowState } from "../../../src/core/engine/row-state";
import type { HttpResponse } from "../../../src/core/requests/classify";
import type { HttpRequest } from "../../../src/core/requests/request";
import type { TagMode } from "../../../src/core/requests/tag-mode";
import { engineDeps } from "../../support/engine-deps";
import { ArraySheet, errorJson } from "../../support/fake-ports";

const TAGS = "extend:usage_tags";
type Metadata = Record<string, unknown>;

/** Runs by id with their metadata; POST merges as Extend does (tags replaced as a whole). */
class FakeExtend {
  readonly runs = new Map<string, Metadata>();
  /** Called before each request is answered; may change stored runs or return a failure instead. */
  interfere?: (request: HttpRequest, call: number) => HttpResponse | Error | undefined;

  /** Rewrites the run a request is answered with (after a POST is applied), as a broken server would. */
  reshape?: (run: Record<string, unknown>, request: HttpRequest) => void;
  /** A text value in an answer that stands for raw JSON, put in its place once the answer is written. */
  readonly rawJson = new Map<string, string>();

  respond = (request: HttpRequest, call: number): HttpResponse | Error => {
    const interference = this.interfere?.(request, call);
    if (interference) return interference;
    const id = decodeURIComponent(request.url.split("/").pop() ?? "");
    const metadata = this.runs.get(id);
    if (!metadata) return errorJson(404, "NOT_FOUND", `Workflow run ${id} not found.`);
    if (request.method === "post") Object.assign(metadata, JSON.parse(request.payload).metadata ?? {});
    const run: Record<string, unknown> = {
      object: "workflow_run",
      id,
      status: "PROCESSED",
      metadata: structuredClone(metadata),
      usage: { credits: 1.5 },
      dashboardUrl: `https://dashboard.extend.ai/workflows/${id}`,
    };
    this.reshape?.(run, request);
    let body = JSON.stringify(run);
    // Spliced in as text: a value thousands of levels deep is more than JSON.stringify can write.
    for (const [placeholder, json] of this.rawJson) body = body.replace(JSON.stringify(placeholder), json);
    return { status: 200, headers: {}, body };
  };
}

const ids = (count: number) => Array.from({ length: count }, (_, index) => `workflow_run_${index}`);

function setup(
  rows: unknown[][],
  extend: FakeExtend,
  kind: JobKind,
  tagMode: TagMode,
  overrides: Partial<EngineDeps> = {},
) {
  const sheet = new ArraySheet(rows as never);
  const { clock, http, deps } = engineDeps(sheet, extend.respond, overrides);
  const values = sheet.snapshot();
  const planned =
    kind === "refresh"
      ? planRefresh(values, "all", deps.parse)
      : planSync(values, "all", kind === "preview", deps.parse, tagMode);
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
    force: false,
    startedBy: "ops@example.com",
    startedAt: clock.now(),
    lastActivityAt: clock.now(),
    executions: 0,
    rate: 10,
    rowsToSend: begun.rowsToSend,
    counts: { ...emptyCounts(), ...begun.counts },
    status: "running",
  };
  return { sheet, http, deps, job, clock };
}

function tagRows(runIds: string[], tags: string) {
  return [["Run ID", "Tags"], ...runIds.map((id) => [id, tags])];
}

describe("add and remove tag modes", () => {
  it("adds the named tags to each run's current tags, reading before writing", () => {
    const extend = new FakeExtend();
    for (const id of ids(3)) extend.runs.set(id, { [TAGS]: ["keep", "shared"], other: 1 });
    const { http, deps, job, sheet } = setup(tagRows(ids(3), "shared, new tag"), extend, "update", "add");
    const { progress } = runExecution(deps, job);
    expect(progress).toMatchObject({ state: "finished", counts: { updated: 3, failed: 0, requests: 6 } });
    for (const id of ids(3))
      expect(extend.runs.get(id)).toEqual({ [TAGS]: ["keep", "shared", "newtag"], other: 1 });
    const methods = http.sent.map(({ request }) => request.method);
    expect(methods).toEqual(["get", "get", "get", "post", "post", "post"]);
    // An update creates no read-only column; it fills them only where the sheet has them.
    expect(sheet.snapshot()[0]).not.toContain("Current Tags");
    expect(progress.tagMode).toBe("add");
  });

  it("removes the named tags and leaves every other tag", () => {
    const extend = new FakeExtend();
    extend.runs.set("workflow_run_0", { [TAGS]: ["a", "b", "c"] });
    const { deps, job } = setup(tagRows(["workflow_run_0"], "b, x"), extend, "update", "remove");
    runExecution(deps, job);
    expect(extend.runs.get("workflow_run_0")?.[TAGS]).toEqual(["a", "c"]);
  });

  it("goes back to the read after a failed write, so a tag added meanwhile is kept", () => {
    const extend = new FakeExtend();
    extend.runs.set("workflow_run_0", { [TAGS]: ["a"] });
    let posts = 0;
    extend.interfere = (request) => {
      if (request.method !== "post" || ++posts > 1) return undefined;
      // Someone adds a tag between our read and our write, and our write fails.
      extend.runs.set("workflow_run_0", { [TAGS]: ["a", "theirs"] });
      return errorJson(503, "INTERNAL_ERROR", "try again");
    };
    const { http, deps, job } = setup(tagRows(["workflow_run_0"], "mine"), extend, "update", "add");
    const { progress } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ updated: 1, failed: 0 });
    expect(extend.runs.get("workflow_run_0")?.[TAGS]).toEqual(["a", "theirs", "mine"]);
    expect(http.sent.map(({ request }) => request.method)).toEqual(["get", "post", "get", "post"]);
  });

  it("reads again after a write whose answer was lost, and sends the same list", () => {
    const extend = new FakeExtend();
    extend.runs.set("workflow_run_0", { [TAGS]: ["a", "b"] });
    // The answer is lost in the batch and again when the request is tried alone: the row starts over.
    let lost = 0;
    let applying = false;
    extend.interfere = (request) => {
      if (request.method !== "post" || applying || lost >= 2) return undefined;
      lost += 1;
      applying = true;
      extend.respond(request, 0);
      applying = false;
      return new Error("Address unavailable: lost after apply");
    };
    const { http, deps, job } = setup(tagRows(["workflow_run_0"], "b"), extend, "update", "remove");
    runExecution(deps, job);
    expect(extend.runs.get("workflow_run_0")?.[TAGS]).toEqual(["a"]);
    expect(http.sent.map(({ request }) => request.method)).toEqual(["get", "post", "post", "get", "post"]);
    const sentPosts = http.sent.filter(({ request }) => request.method === "post");
    const payloads = sentPosts.map(({ request }) => ("payload" in request ? request.payload : ""));
    expect(payloads[2]).toBe(payloads[0]);
  });

  it("fails a row whose current tags are not a list, sending nothing", () => {
    const extend = new FakeExtend();
    extend.runs.set("workflow_run_0", { [TAGS]: "a,b" });
    const { http, deps, job, sheet } = setup(tagRows(["workflow_run_0"], "c"), extend, "update", "add");
    runExecution(deps, job);
    expect(http.sent.map(({ request }) => request.method)).toEqual(["get"]);
    expect(sheet.column("Sync Result")).toEqual(["Failed"]);
    expect(String(sheet.column("Sync Error")[0])).toMatch(/^UNUSABLE_TAGS: /);
  });

  it("refuses #CLEAR outside replace mode before any request", () => {
    const extend = new FakeExtend();
    const { http, deps, job, sheet } = setup(tagRows(["workflow_run_0"], "#CLEAR"), extend, "update", "add");
    runExecution(deps, job);
    expect(http.sent).toHaveLength(0);
    expect(sheet.column("Sync Result")).toEqual(["Invalid"]);
  });

  it("posts rows without tags once, in any mode", () => {
    const extend = new FakeExtend();
    extend.runs.set("workflow_run_0", { [TAGS]: ["a"] });
    const rows = [
      ["Run ID", "metadata.team", "Tags"],
      ["workflow_run_0", "ops", ""],
    ];
    const { http, deps, job } = setup(rows, extend, "update", "remove");
    runExecution(deps, job);
    expect(http.sent.map(({ request }) => request.method)).toEqual(["post"]);
    expect(extend.runs.get("workflow_run_0")).toEqual({ [TAGS]: ["a"], team: "ops" });
  });

  it("paces reads and writes each at the configured rate, in shared batches", () => {
    const extend = new FakeExtend();
    for (const id of ids(40)) extend.runs.set(id, {});
    const { http, deps, job } = setup(tagRows(ids(40), "t"), extend, "update", "add", { rate: 10 });
    runExecution(deps, job);
    for (const method of ["get", "post"]) {
      const times = http.sent.filter(({ request }) => request.method === method).map((entry) => entry.at);
      expect(times).toHaveLength(40);
      for (const start of times)
        expect(times.filter((time) => time >= start && time < start + 1000).length).toBeLessThanOrEqual(10);
    }
    const total = (http.sent.at(-1)?.at ?? 0) - (http.sent[0]?.at ?? 0);
    // Reads and writes overlap: 40 rows at 10 a second take about 4 s, not 8.
    expect(total).toBeLessThan(5_500);
  });
});

describe("refresh", () => {
  it("reads each run into the read-only columns, keeps what the last update did, and fails rows per row", () => {
    const extend = new FakeExtend();
    extend.runs.set("workflow_run_0", { [TAGS]: ["a", "b"], customer: "ACME" });
    const rows = [
      ["Run ID", "Sync Result", "Sync State"],
      ["workflow_run_0", "Updated", "v1 sent=abc"],
      ["workflow_run_missing", "", ""],
      ["exr_wrong_kind", "", ""],
      ["workflow_run_0", "", ""],
    ];
    const { http, deps, job, sheet } = setup(rows, extend, "refresh", "replace");
    const { progress } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ read: 1, readFailed: 2 });
    expect(http.sent).toHaveLength(2);
    expect(sheet.column("Current Tags")).toEqual(["a, b", "", "", "a, b"]);
    expect(sheet.column("Current Metadata")[0]).toBe('{"customer":"ACME"}');
    expect(sheet.column("Credits")).toEqual([1.5, "", "", 1.5]);
    expect(sheet.column("Sync Result")).toEqual(["Updated", "", "", ""]);
    expect(String(sheet.column("Refresh Error")[1])).toMatch(/^NOT_FOUND: /);
    expect(String(sheet.column("Refresh Error")[2])).toMatch(/^INVALID_RUN_ID: .*exr_/);
    expect(decodeRowState(sheet.column("Sync State")[0]).lastSent).toBe("abc");
    expect(sheet.column("Refreshed At")[0]).toBeInstanceOf(Date);
  });
});

describe("preview", () => {
  it("marks rows that would change nothing, forgets Unchanged for rows that would, and writes no Sync Result", () => {
    const extend = new FakeExtend();
    extend.runs.set("workflow_run_0", { team: "ops", [TAGS]: ["a"] });
    extend.runs.set("workflow_run_1", { team: "finance" });
    extend.runs.set("workflow_run_2", { team: "ops" });
    const rows = [
      ["Run ID", "Name", "metadata.team", "Tags", "Sync State"],
      ["workflow_run_0", "", "ops", "a", ""],
      ["workflow_run_1", "", "ops", "", "v1 sent=stale"],
      ["workflow_run_2", "A name", "ops", "", ""],
      ["workflow_run_3", "", "", "", ""],
    ];
    const { deps, job, sheet } = setup(rows, extend, "preview", "replace");
    const { progress } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ read: 3, matching: 1, changing: 2, noop: 1 });
    const states = sheet.column("Sync State").map(decodeRowState);
    expect(states[0]?.lastSent).toMatch(/\w+/);
    expect(states[1]?.lastSent).toBeUndefined();
    expect(states[2]?.lastSent).toBeUndefined();
    expect(sheet.column("Sync Result")).toEqual(["", "", "", ""]);
    expect(extend.runs.get("workflow_run_1")).toEqual({ team: "finance" });
  });
});

describe("answers without what a step needs", () => {
  const withoutMetadata = (id: string) => (run: Record<string, unknown>, request: HttpRequest) => {
    if (request.method === "get" && run.id === id) delete run.metadata;
  };

  it.each<["add" | "remove"]>([["add"], ["remove"]])(
    "%s: fails a row whose read has no metadata after its retries, sending nothing and losing no tag",
    (mode) => {
      const extend = new FakeExtend();
      for (const id of ids(2)) extend.runs.set(id, { [TAGS]: ["existing", "billing"] });
      extend.reshape = withoutMetadata("workflow_run_0");
      const { http, deps, job, sheet } = setup(tagRows(ids(2), "billing, mine"), extend, "update", mode);
      const { progress } = runExecution(deps, job);
      expect(progress).toMatchObject({ state: "finished", counts: { updated: 1, failed: 1 } });
      expect(extend.runs.get("workflow_run_0")).toEqual({ [TAGS]: ["existing", "billing"] });
      const posted = http.sent.filter(({ request }) => request.method === "post");
      expect(posted.map(({ request }) => request.url.split("/").pop())).toEqual(["workflow_run_1"]);
      // Every attempt the policy allows, all of them reads.
      expect(http.sent.filter(({ request }) => request.url.endsWith("workflow_run_0"))).toHaveLength(5);
      expect(sheet.column("Sync Result")[0]).toBe("Failed");
      expect(String(sheet.column("Sync Error")[0])).toMatch(
        /^BAD_RESPONSE: Extend answered 200 with a workflow run without its metadata\. /,
      );
    },
  );

  it("does not take a run without metadata to hold what a #CLEAR row asks for", () => {
    const extend = new FakeExtend();
    extend.runs.set("workflow_run_0", { po: "PO-1", [TAGS]: ["a"] });
    extend.reshape = withoutMetadata("workflow_run_0");
    const rows = [
      ["Run ID", "metadata.po", "Tags"],
      ["workflow_run_0", "#CLEAR", "#CLEAR"],
    ];
    const { deps, job, sheet } = setup(rows, extend, "preview", "replace");
    const { progress } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ matching: 0, readFailed: 1 });
    expect(decodeRowState(sheet.column("Sync State")[0]).lastSent).toBeUndefined();
    expect(String(sheet.column("Refresh Error")[0])).toMatch(/^BAD_RESPONSE: .*without its metadata/);
  });

  it.each<[string, (run: Record<string, unknown>) => void, RegExp]>([
    ["no metadata", (run) => delete run.metadata, /without its metadata/],
    ["metadata null", (run) => (run.metadata = null), /metadata is not an object/],
    ["usage without credits", (run) => (run.usage = {}), /usage\.credits is not a number/],
    ["credits as a word", (run) => (run.usage = { credits: "many" }), /usage\.credits is not a number/],
  ])("refresh: a run with %s is a Refresh Error, never no tags or no usage", (_label, reshape, why) => {
    const extend = new FakeExtend();
    for (const id of ids(2)) extend.runs.set(id, { [TAGS]: ["acme"] });
    extend.reshape = (run) => {
      if (run.id === "workflow_run_0") reshape(run);
    };
    const { deps, job, sheet } = setup(
      [["Run ID"], ...ids(2).map((id) => [id])],
      extend,
      "refresh",
      "replace",
    );
    const { progress } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ read: 1, readFailed: 1 });
    expect(String(sheet.column("Refresh Error")[0])).toMatch(why);
    expect(sheet.column("Current Tags")).toEqual(["", "acme"]);
    expect(sheet.column("Credits")).toEqual(["", 1.5]);
  });

  it("refresh reads usage.credits sent as numeric text", () => {
    const extend = new FakeExtend();
    extend.runs.set("workflow_run_0", {});
    extend.reshape = (run) => (run.usage = { credits: "2.25" });
    const { deps, job, sheet } = setup([["Run ID"], ["workflow_run_0"]], extend, "refresh", "replace");
    runExecution(deps, job);
    expect(sheet.column("Credits")).toEqual([2.25]);
    expect(sheet.column("Refresh Error")).toEqual([""]);
  });

  it("an update answered without metadata is Updated and leaves the read-only columns as they were", () => {
    const extend = new FakeExtend();
    extend.runs.set("workflow_run_0", {});
    extend.reshape = (run) => delete run.metadata;
    const rows = [
      ["Run ID", "metadata.team", "Current Tags", "Current Metadata"],
      ["workflow_run_0", "ops", "old, tags", '{"team":"finance"}'],
    ];
    const { deps, job, sheet } = setup(rows, extend, "update", "replace");
    runExecution(deps, job);
    expect(sheet.column("Sync Result")).toEqual(["Updated"]);
    expect(sheet.column("Current Tags")).toEqual(["old, tags"]);
    expect(sheet.column("Current Metadata")).toEqual(['{"team":"finance"}']);
  });
});

describe("metadata nested thousands of levels deep", () => {
  const DEEP = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
  const deepRun = (extend: FakeExtend, id: string) => {
    extend.rawJson.set("(deep)", DEEP);
    extend.reshape = (run) => {
      if (run.id === id) (run.metadata as Record<string, unknown>).deep = "(deep)";
    };
  };

  it("a refresh writes every row, the deep one with its metadata shown", () => {
    const extend = new FakeExtend();
    for (const id of ids(3)) extend.runs.set(id, { [TAGS]: ["a"] });
    deepRun(extend, "workflow_run_1");
    const { deps, job, sheet } = setup(
      [["Run ID"], ...ids(3).map((id) => [id])],
      extend,
      "refresh",
      "replace",
    );
    const { progress } = runExecution(deps, job);
    expect(progress).toMatchObject({ state: "finished", counts: { read: 3, readFailed: 0 } });
    expect(sheet.column("Current Metadata")).toEqual(["", `{"deep":${DEEP}}`, ""]);
    expect(sheet.column("Current Tags")).toEqual(["a", "a", "a"]);
  });

  it("a sync writes the result of a row whose answer nests that deep", () => {
    const extend = new FakeExtend();
    for (const id of ids(2)) extend.runs.set(id, {});
    deepRun(extend, "workflow_run_0");
    const rows = [["Run ID", "metadata.team", "Current Metadata"], ...ids(2).map((id) => [id, "ops", ""])];
    const { http, deps, job, sheet } = setup(rows, extend, "update", "replace");
    const { progress } = runExecution(deps, job);
    expect(progress).toMatchObject({ state: "finished", counts: { updated: 2 } });
    expect(http.sent).toHaveLength(2);
    expect(sheet.column("Current Metadata")[0]).toBe(`{"team":"ops","deep":${DEEP}}`);
  });

  it("a preview compares a key the row sets against a run value that deep", () => {
    const extend = new FakeExtend();
    extend.runs.set("workflow_run_0", {});
    deepRun(extend, "workflow_run_0");
    const rows = [
      ["Run ID", "metadata.deep"],
      ["workflow_run_0", "json:[[1]]"],
    ];
    const { deps, job } = setup(rows, extend, "preview", "replace");
    expect(runExecution(deps, job).progress.counts).toMatchObject({ read: 1, changing: 1 });
  });
});
