// Unit tests for src/ui/sidebar/server.ts: each kind of job starts with its own server function and the request
// without `kind`; a failed call is said in one short line (format.ts failureLine, shared with the loop).
import { describe, expect, it } from "vitest";
import { failureLine } from "../../../src/ui/sidebar/format";
import { callFailure, startJob } from "../../../src/ui/sidebar/server";
import { importForm } from "../../support/sidebar-fixtures";
import { installScriptRun } from "./fake-script-run";

describe("startJob", () => {
  it("calls the start function of the job's kind with the request alone", async () => {
    const calls = installScriptRun(
      ["startSyncJob", "startRefreshJob", "startPreviewJob", "startImportJob"],
      (name) => ({ state: "busy", message: name }),
    );
    await startJob({ kind: "update", selectedRowsOnly: true, force: false });
    await startJob({ kind: "refresh", selectedRowsOnly: false });
    await startJob({ kind: "preview", tagMode: "add" });
    const form = importForm({ workflowId: "wf", withCurrent: true });
    expect(await startJob({ kind: "import", ...form })).toEqual({ state: "busy", message: "startImportJob" });
    expect(calls).toEqual([
      { name: "startSyncJob", args: [{ selectedRowsOnly: true, force: false }] },
      { name: "startRefreshJob", args: [{ selectedRowsOnly: false }] },
      { name: "startPreviewJob", args: [{ tagMode: "add" }] },
      { name: "startImportJob", args: [form] },
    ]);
  });
});

describe("failure lines", () => {
  it("keep the first line, at most 200 characters", () => {
    expect(failureLine(new Error(`${"x".repeat(300)}\nat stack`))).toBe("x".repeat(200));
    expect(failureLine("timed out\nmore")).toBe("timed out");
    expect(failureLine(undefined, "no answer")).toBe("no answer");
    expect(callFailure(new Error("offline\nstack"))).toBe(
      "Google did not answer (offline). Check your connection and try again.",
    );
    expect(callFailure(42)).toBe("Google did not answer (42). Check your connection and try again.");
  });
});

describe("a call Google refuses because the browser is signed into several accounts", () => {
  it("says what works instead of blaming the connection", () => {
    for (const text of [
      "We're sorry, a server error occurred while reading from storage. Error code PERMISSION_DENIED.",
      "ScriptError: Authorization is required to perform that action.",
    ]) {
      const line = callFailure(new Error(text));
      expect(line).toMatch(/signed into several Google accounts/);
      expect(line).toMatch(/only the account that installed Extend Sync is signed in/);
      expect(line).not.toMatch(/connection/);
    }
  });
});
