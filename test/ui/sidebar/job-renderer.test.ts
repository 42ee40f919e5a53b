// Unit tests for jobRenderer (src/ui/sidebar/sync-panel.ts), the one way the sidebar and the import dialog draw a
// job: each view goes into the area of the job it shows, and an area left behind is cleared. Before, the sidebar
// kept its own "kind" that a paused-exists answer overwrote, so an Import click drew the Resume prompt into the
// hidden Sync tab, and "End it and start anew" left a dead running view with Pause behind.
import { beforeEach, describe, expect, it } from "vitest";
import { emptyCounts } from "../../../src/core/engine/job";
import type {
  ContinueAnswer,
  JobKind,
  JobStart,
  StartAnswer,
  SyncProgress,
} from "../../../src/core/views/sidebar-api";
import { SyncLoop } from "../../../src/ui/sidebar/sync-loop";
import { jobRenderer, kindOfView, type Viewer } from "../../../src/ui/sidebar/sync-panel";
import { importForm, pausedJob } from "../../support/sidebar-fixtures";
import { addElement, asHtml, type FakeDocument, type FakeElement, installFakeDocument } from "./fake-dom";

const pausedSync = pausedJob();

function progress(kind: JobKind, state: SyncProgress["state"], jobId: string): SyncProgress {
  return {
    jobId,
    kind,
    sheetName: kind === "import" ? "Imported runs" : "Runs",
    state,
    counts: { ...emptyCounts(), imported: state === "finished" ? 5 : 2 },
    rowsLeft: state === "finished" ? 0 : 10,
    rowsToSend: 20,
    rate: 10,
    executions: 1,
    notSynced: [],
  };
}

const importStart: JobStart = { kind: "import", ...importForm() };

let doc: FakeDocument;
let syncArea: FakeElement;
let importArea: FakeElement;

beforeEach(() => {
  doc = installFakeDocument();
  syncArea = addElement(doc, "div", "sync-area");
  importArea = addElement(doc, "div", "import-area");
});

/** The sidebar's wiring (main.ts) with a fake server: syncs in one area, imports in another. */
function sidebar(starts: StartAnswer[], continues: ContinueAnswer[], oneArea = false, viewer: Viewer = {}) {
  const snapshots: { view: string; sync: string; import: string }[] = [];
  const moves: JobKind[] = [];
  const requests: JobStart[] = [];
  const loop: SyncLoop<JobStart> = new SyncLoop<JobStart>(
    {
      start: async (request) => {
        requests.push(request);
        const answer = starts.shift();
        if (!answer) throw new Error("no start answer left");
        return answer;
      },
      continue: async () => {
        const answer = continues.shift();
        if (!answer) throw new Error("no continue answer left");
        return answer;
      },
    },
    { now: () => 0, sleep: async () => undefined },
    (view) => {
      draw(view);
      snapshots.push({ view: view.kind, sync: syncArea.textContent, import: importArea.textContent });
    },
  );
  const draw = jobRenderer({
    loop,
    requestedKind: () => (oneArea ? "import" : loop.requested?.kind),
    areaOf: (kind) => asHtml(oneArea || kind === "import" ? importArea : syncArea),
    startControls: [],
    budgetSeconds: () => 300,
    onMove: (kind) => moves.push(kind),
    viewer: () => viewer,
  });
  return { loop, snapshots, moves, requests };
}

describe("jobRenderer", () => {
  it("draws the paused-exists prompt of an Import click into the Import area, not the Sync tab", async () => {
    const { loop, snapshots } = sidebar([{ state: "paused-exists", job: pausedSync }], []);
    await loop.start(importStart);
    expect(snapshots.map((snapshot) => snapshot.view)).toEqual(["starting", "paused-exists"]);
    expect(snapshots[0]?.import).toContain("Starting the import…");
    const last = snapshots.at(-1);
    expect(last?.import).toContain("A paused sync is waiting");
    expect(last?.import).toContain("End it and start a new sync");
    expect(last?.sync).toBe("");
  });

  it("after End it and start anew, shows the new import in its own area with its own words", async () => {
    const { loop, snapshots, requests } = sidebar(
      [{ state: "paused-exists", job: pausedSync }, progress("import", "paused", "imp1")],
      [progress("import", "finished", "imp1")],
    );
    await loop.start(importStart);
    const drawn = snapshots.length;
    await loop.replace();
    expect(requests[1]).toMatchObject({ kind: "import", replacePaused: true });
    const after = snapshots.slice(drawn);
    expect(after.map((snapshot) => snapshot.view)).toEqual(["starting", "running", "done"]);
    expect(after[0]?.import).toContain("Starting the import…");
    expect(after[1]?.import).toContain("Importing…");
    expect(after[2]?.import).toContain("Import finished");
    for (const snapshot of after) expect(snapshot.sync).toBe("");
    expect(importArea.byText("button", "Pause")).toEqual([]);
  });

  it("Resume on the prompt moves the paused sync to its own area, clears the old one and shows its tab", async () => {
    const { loop, snapshots, moves } = sidebar(
      [{ state: "paused-exists", job: pausedSync }],
      [progress("update", "paused", "sync1"), { state: "none" }],
    );
    await loop.start(importStart);
    await loop.resume();
    const running = snapshots.find((snapshot) => snapshot.view === "running");
    expect(running?.sync).toContain("Syncing…");
    expect(running?.import).toBe("");
    expect(moves).toEqual(["import", "update"]);
    const gone = snapshots.at(-1);
    expect(gone?.view).toBe("gone");
    expect(gone?.sync).toContain("This job has ended");
    expect(gone?.import).toBe("");
  });

  it("the import dialog (one area) says what the new job is after End it and start anew", async () => {
    const { loop, snapshots } = sidebar(
      [{ state: "paused-exists", job: pausedSync }, progress("import", "paused", "imp1")],
      [progress("import", "finished", "imp1")],
      true,
    );
    await loop.start(importStart);
    expect(snapshots.at(-1)?.import).toContain("A paused sync is waiting");
    await loop.replace();
    const texts = snapshots.map((snapshot) => snapshot.import);
    expect(texts.at(-3)).toContain("Starting the import…");
    expect(texts.at(-2)).toContain("Importing…");
    expect(texts.at(-1)).toContain("Import finished");
  });

  it("an offered job is drawn in its own area, and Not now clears it", () => {
    const { loop, snapshots, moves } = sidebar([], []);
    loop.offer({ ...pausedSync, kind: "import", listing: true });
    expect(snapshots.at(-1)?.import).toContain("A paused import is waiting");
    expect(moves).toEqual(["import"]);
    loop.cancel();
    expect(snapshots.at(-1)).toEqual({ view: "idle", sync: "", import: "" });
  });

  it("names a job under way with its own article and noun", () => {
    const { loop, snapshots } = sidebar([], []);
    loop.offer({ ...pausedSync, kind: "import", listing: true, active: true, leaseHeld: true });
    expect(snapshots.at(-1)?.import).toContain("An import is under way");
    expect(snapshots.at(-1)?.import).not.toContain("A import");
    loop.cancel();
    loop.offer({ ...pausedSync, active: true, leaseHeld: true });
    expect(snapshots.at(-1)?.sync).toContain("A sync is under way");
    loop.cancel();
    loop.offer({ ...pausedSync, kind: "preview" });
    expect(snapshots.at(-1)?.sync).toContain("A paused comparison is waiting");
  });

  it("tells a sync paused by you, with the time in the spreadsheet's zone named, from one driven elsewhere", () => {
    const { loop, snapshots } = sidebar([], [], false, { timeZone: "Europe/Berlin", you: "a@example.com" });
    // 10:31 UTC is 12:31 in Berlin in summer; the test's process runs in another zone or in UTC.
    const pausedAt = Date.UTC(2026, 6, 1, 10, 31);
    loop.offer({ ...pausedSync, lastActivityAt: pausedAt - 1000, pausedBy: "a@example.com", pausedAt });
    const paused = snapshots.at(-1)?.sync ?? "";
    expect(paused).toContain("A paused sync is waiting");
    expect(paused).toMatch(
      /Paused by you at 2026-07-01 12:31( \(Europe\/Berlin\))?\. Nothing is being sent\./,
    );
    expect(paused).not.toContain("driven");
    loop.cancel();

    loop.offer({ ...pausedSync, active: true, leaseHeld: true, lastDrivenBy: "b@example.com" });
    const driven = snapshots.at(-1)?.sync ?? "";
    expect(driven).toContain("A sync is under way");
    expect(driven).toContain("A step is running now, driven by b@example.com");
    expect(driven).not.toContain("Paused by");
    loop.cancel();

    // Driven moments ago but no step running (its sidebar was just closed): offered, never a dead end.
    loop.offer({ ...pausedSync, active: true, lastActivityAt: pausedAt, lastDrivenBy: "a@example.com" });
    const left = snapshots.at(-1)?.sync ?? "";
    expect(left).toContain("A paused sync is waiting");
    expect(left).toMatch(/Its last step ended at 2026-07-01 12:31( \(Europe\/Berlin\))? \(driven by you\)/);
    expect(left).toContain("Resume");
  });

  it("reads the kind from the views that carry it", () => {
    expect(kindOfView({ kind: "offer", job: pausedSync })).toBe("update");
    expect(kindOfView({ kind: "done", progress: progress("import", "finished", "x") })).toBe("import");
    expect(kindOfView({ kind: "starting" })).toBeUndefined();
    expect(kindOfView({ kind: "paused-exists", job: pausedSync })).toBeUndefined();
  });
});
