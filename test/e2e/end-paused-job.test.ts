// The sidebar's End on a paused job, through the built bundle in the local host against the Extend stand-in: the
// job is logged as ended, by whom, and removed; nothing more is sent; the next sync sends the rows it had not
// reached, each run updated once in all. A job another editor's window drives now, or one already gone, is not
// ended; a refresh is ended the same way.
import { describe, expect, it } from "vitest";
import type { GasHost } from "../../dev/gas-host/index.js";
import { clickAndFinish, syncUnfinished } from "../../dev/local-run.js";
import { API_KEY, columns, records, runIds, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 300 });
const ROWS = 150;
const OTHER_EDITOR = "colleague@example.com";

/** A sync started from the sidebar that paused at its one-second budget, part of its rows sent. */
function pausedSync(kind: "startSyncJob" | "startRefreshJob" = "startSyncJob"): {
  host: GasHost;
  jobId: string;
} {
  const host = e2e.newHost({
    rows: [["Run ID", "Name"], ...runIds(ROWS).map((id, index) => [id, `Run ${index}`])],
    rate: 50,
    executionBudgetSeconds: 1,
  });
  host.clickMenuItem("Open sidebar");
  const started = host.runFromClient(kind, [{ selectedRowsOnly: false, force: false, tagMode: "replace" }])
    .returned as { state: string; jobId: string; rowsLeft: number };
  expect(started).toMatchObject({ state: "paused" });
  expect(started.rowsLeft).toBeGreaterThan(0);
  return { host, jobId: started.jobId };
}

const lastLogRow = (host: GasHost) => records(host, "Extend Sync Log").at(-1) ?? {};

describe("End on a paused job", () => {
  it("ends a sync the person paused: logged as ended by them, nothing more sent, the next sync sends the rest", async () => {
    const { host, jobId } = pausedSync();
    expect(host.runFromClient("pauseSyncJob", [jobId]).returned).toMatchObject({ ok: true });
    const sent = (await e2e.extend.stats()).updateRequests.length;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(ROWS);

    const ended = host.runFromClient("endPausedSyncJob", [jobId]).returned;
    expect(ended).toEqual({
      ok: true,
      value: {
        kind: "update",
        message: `The sync was ended. ${ROWS - sent} rows it had not reached were not sent and keep their values. The run log records who ended it and how far it got. Start it again whenever you like: every row is checked anew.`,
      },
    });
    expect(syncUnfinished(host)).toBe(false);
    expect(lastLogRow(host)).toMatchObject({
      "Sync ID": jobId,
      Ended: "Stopped: ended by tester@example.com before it finished",
    });
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(sent);
    // Continuing it, or ending it twice, finds it gone.
    expect(host.runFromClient("endPausedSyncJob", [jobId]).returned).toMatchObject({
      ok: false,
      message: expect.stringMatching(/already ended/),
    });

    clickAndFinish(host, "Sync all rows");
    expect(new Set(columns(host)["Sync Result"])).toEqual(new Set(["Updated", "Unchanged"]));
    const updates = Object.values((await e2e.extend.stats()).updatesByRunId);
    expect(updates).toHaveLength(ROWS);
    expect(Math.max(...updates)).toBe(1);
  });

  it("ends one's own sync left after a step without Pause, but not one another editor drove moments ago", async () => {
    const own = pausedSync();
    expect(own.host.runFromClient("endPausedSyncJob", [own.jobId]).returned).toMatchObject({ ok: true });

    const shared = pausedSync();
    // The colleague's window drives the next step; the person's End comes right after it.
    shared.host.runFromClient("saveApiKey", [API_KEY], { userEmail: OTHER_EDITOR });
    const step = shared.host.runFromClient("continueSyncJob", [shared.jobId], { userEmail: OTHER_EDITOR });
    expect(step.returned).toMatchObject({ state: "paused" });
    const refused = shared.host.runFromClient("endPausedSyncJob", [shared.jobId]).returned;
    expect(refused).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^A step of this sync is running now .* so it was not ended\./),
    });
    expect(syncUnfinished(shared.host)).toBe(true);
    // Paused on purpose, it is anyone's to end.
    shared.host.runFromClient("pauseSyncJob", [shared.jobId], { userEmail: OTHER_EDITOR });
    expect(shared.host.runFromClient("endPausedSyncJob", [shared.jobId]).returned).toMatchObject({
      ok: true,
    });
    expect(syncUnfinished(shared.host)).toBe(false);
  });

  it("ends a paused refresh in the same words, counting rows not read", () => {
    const { host, jobId } = pausedSync("startRefreshJob");
    const ended = host.runFromClient("endPausedSyncJob", [jobId]).returned as {
      ok: boolean;
      value: { kind: string; message: string };
    };
    expect(ended.ok).toBe(true);
    expect(ended.value.kind).toBe("refresh");
    expect(ended.value.message).toMatch(
      /^The refresh was ended\. \d+ rows? it had not reached (was|were) not read /,
    );
    expect(lastLogRow(host)).toMatchObject({ "Sync ID": jobId, Kind: "Refresh" });
    expect(String(lastLogRow(host).Ended)).toMatch(/^Stopped: ended by /);
  });
});
