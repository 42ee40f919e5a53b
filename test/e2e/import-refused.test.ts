// An import refused by a 401 or a 402 is paused with its cursor and filters, end to end with the built bundle in
// the local host against the stand-in: it says what to fix, goes on only when asked, and once the key or the
// credits are fixed reads on from the page it was refused, instead of starting over in a new sheet.
import { describe, expect, it } from "vitest";
import { clickAndFinish, syncUnfinished } from "../../dev/local-run.js";
import { importForm } from "../support/sidebar-fixtures.js";
import { importedSheet, records, TIMINGS, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 200, ...TIMINGS.modelOn });
const PAGE = 7;

describe("an import refused by a 401 or 402", () => {
  it.each<[string, () => Promise<unknown>, () => Promise<unknown>, RegExp]>([
    [
      "401 (the key)",
      () =>
        e2e.extend.setFaults([
          { kind: "status", status: 401, times: "unlimited", match: { path: "/workflow_runs" } },
        ]),
      () => e2e.extend.setFaults([]),
      /^UNAUTHORIZED: .*Set a valid key .*continue the import/,
    ],
    [
      "402 (the credits)",
      () => e2e.extend.configure({ usageBlocked: true }),
      () => e2e.extend.configure({ usageBlocked: false }),
      /^USAGE_BLOCKED: .*add credits, then continue the import/,
    ],
  ])(
    "after a %s, is paused with its cursor and goes on from there once fixed",
    async (_label, refuse, fix, says) => {
      await e2e.extend.configure({ maxPageSize: PAGE });
      const host = e2e.newHost({ rows: [["Notes"]], rate: 1, executionBudgetSeconds: 1, ...TIMINGS.modelOn });
      const first = host.runFromClient("startImportJob", [importForm({ max: "30" })]);
      expect(first.returned).toMatchObject({ state: "paused", counts: { imported: PAGE } });

      await refuse();
      // The sidebar's next step, then the menu's Continue: each says what to fix, and neither starts over.
      const answer = host.runFromClient("continueSyncJob", []).returned as { state: string; message: string };
      expect(answer).toMatchObject({ state: "paused", held: true });
      expect(answer.message).toMatch(says);
      host.clickMenuItem("Continue paused sync");
      expect(host.ui.alerts.at(-1)?.prompt).toMatch(/^Import paused: /);
      expect(String(records(host, "Extend Sync Log").at(-1)?.Ended)).toMatch(
        /^Paused: (UNAUTHORIZED|USAGE_BLOCKED)/,
      );
      expect(syncUnfinished(host)).toBe(true);
      const before = (await e2e.extend.stats()).listQueries.length;

      await fix();
      clickAndFinish(host, "Continue paused sync");
      const after = (await e2e.extend.stats()).listQueries.slice(before);
      // The first page answered after the fix carries a cursor (the import did not start over), and no page was
      // read twice: the stand-in counts the pages it answered, not the refused requests.
      expect(new URLSearchParams(after[0]).has("nextPageToken")).toBe(true);
      expect(before + after.length).toBe(Math.ceil(30 / PAGE));
      const rows = records(host, importedSheet(host));
      expect(rows).toHaveLength(30);
      expect(new Set(rows.map((row) => row["Run ID"])).size).toBe(30);
      expect(records(host, "Extend Sync Log").at(-1)).toMatchObject({ Kind: "Import", Ended: "Finished" });
    },
  );
});
