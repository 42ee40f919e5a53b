// Each error can be looked up, end to end: after a sync and a refresh through the built bundle against the
// stand-in, every Sync Error and Refresh Error starts with a code and names the user guide's entry for it, the
// sidebar's lists of rows to fix (and Check rows) show the same text, and that entry exists in docs/user-guide.md.
import { describe, expect, it } from "vitest";
import { clickAndFinish } from "../../dev/local-run.js";
import { entryAnchor, entryNamed, USER_GUIDE } from "../support/user-guide.js";
import { columns, runIds, SHEET, useExtend } from "./harness.js";

const e2e = useExtend();

const HEADER = ["Run ID", "Name", "Tags"];

/** A row of each kind of failure a user meets, and one that works. */
async function sheetOfFailures() {
  const [fine = "", refused = "", unknown = "", bare = ""] = runIds(4);
  await e2e.extend.setFaults([
    { kind: "status", status: 422, code: "INVALID_REQUEST", match: { runId: refused } },
    // A code Extend has not documented, and a proxy's page without one: both still lead somewhere.
    {
      kind: "custom",
      status: 409,
      body: '{"code":"=TEAPOT()","message":"Brewing.","retryable":false}',
      match: { runId: unknown, method: "POST" },
    },
    {
      kind: "custom",
      status: 404,
      contentType: "text/html",
      body: "<html>Not here</html>",
      match: { runId: bare, method: "POST" },
    },
  ]);
  return e2e.newHost({
    rows: [
      HEADER,
      [fine, "Fine", "prod"],
      [refused, "Refused", "prod"],
      [unknown, "Unknown", "prod"],
      [bare, "Bare", "prod"],
      ["exr_notAWorkflowRun000000", "Wrong kind", "prod"],
      ["workflow_run_doesNotExist000000", "Gone", "prod"],
    ],
  });
}

describe("an error's text names its code and the user guide's entry", () => {
  it("in Sync Error, in the sidebar's rows to fix and in Check rows; each entry is in the guide", async () => {
    const host = await sheetOfFailures();
    const check = host.runFromClient("checkRows", ["replace"]);
    clickAndFinish(host, "Sync all rows");

    const sheet = columns(host);
    expect(sheet["Sync Result"]).toEqual(["Updated", "Failed", "Failed", "Failed", "Invalid", "Failed"]);
    const errors = (sheet["Sync Error"] ?? []).map(String);
    expect(errors[0]).toBe("");
    expect(errors.slice(1).map((text) => [/^[^:]+/.exec(text)?.[0], entryNamed(text)])).toEqual([
      ["INVALID_REQUEST", "INVALID_REQUEST"],
      ["=TEAPOT()", "Other codes"],
      ["HTTP_404", "NOT_FOUND"],
      ["INVALID_ROW", "INVALID_ROW"],
      ["NOT_FOUND", "NOT_FOUND"],
    ]);
    for (const text of errors.slice(1))
      expect(USER_GUIDE).toContain(`<a id="${entryAnchor(entryNamed(text) ?? "")}"></a>`);

    const toFix = host.runFromClient("rowsToFix", [SHEET]).returned as {
      ok: true;
      value: { failed: { rows: { row: number; text: string }[] }; invalid: { rows: { text: string }[] } };
    };
    expect(toFix.value.failed.rows.map((entry) => entry.text)).toEqual([
      errors[1],
      errors[2],
      errors[3],
      errors[5],
    ]);
    expect(toFix.value.invalid.rows.map((entry) => entry.text)).toEqual([errors[4]]);
    expect(check.returned).toMatchObject({ value: { invalid: { rows: [{ row: 6, text: errors[4] }] } } });
  });

  it("in Refresh Error", async () => {
    const [fine = ""] = runIds(1);
    const host = e2e.newHost({
      rows: [
        HEADER,
        [fine, "", ""],
        ["workflow_run_doesNotExist000000", "", ""],
        ["exr_notAWorkflowRun000000", "", ""],
      ],
    });
    clickAndFinish(host, "Refresh from Extend: all rows");
    const errors = (columns(host)["Refresh Error"] ?? []).map(String);
    expect(errors.map(entryNamed)).toEqual([undefined, "NOT_FOUND", "INVALID_RUN_ID"]);
    expect(errors[1]).toMatch(/^NOT_FOUND: /);
    expect(errors[2]).toMatch(/^INVALID_RUN_ID: /);
  });
});
