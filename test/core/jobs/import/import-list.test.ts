// Unit tests for src/core/jobs/import/import-list.ts: the import's form checked field by field, and a page of
// List read defensively and scrubbed.
import { describe, expect, it } from "vitest";
import {
  describeFilters,
  MAX_CURSOR_LENGTH,
  parseImportRequest,
  parseListPage,
} from "../../../../src/core/jobs/import/import-list";
import { scrubberFor } from "../../../../src/core/requests/secrets";

const KEY = "sk_test_import_list_key_42";
const scrub = scrubberFor([KEY]);

describe("parseImportRequest", () => {
  it("refuses a filter holding half of a character, which no web address can carry", () => {
    expect(parseImportRequest({ workflowId: "workflow_\ud800x" })).toEqual({
      ok: false,
      message: "Workflow ID holds half of a character (a broken copy and paste): type it again.",
    });
  });

  it("keeps the filters set, trims them, upper-cases a status and reads the maximum", () => {
    expect(
      parseImportRequest({
        workflowId: " workflow_1 ",
        batchId: "",
        status: "failed",
        fileNameContains: "invoice",
        sortBy: "updatedAt",
        sortDir: "asc",
        max: " 40 ",
        withCurrent: true,
        unknown: "ignored",
      }),
    ).toEqual({
      ok: true,
      value: {
        filters: {
          workflowId: "workflow_1",
          status: "FAILED",
          fileNameContains: "invoice",
          sortBy: "updatedAt",
          sortDir: "asc",
        },
        max: 40,
        withCurrent: true,
      },
    });
  });

  it.each<[unknown, RegExp]>([
    [{ max: "1.5" }, /whole number/],
    [{ max: 400_001 }, /whole number from 1 to 400,000/],
    [{ status: "DONE" }, /Status must be one of/],
    [{ sortDir: "up" }, /oldest first or newest first/],
    [{ workflowId: "x".repeat(256) }, /too long/],
    [{ fileNameContains: ["a"] }, /must be text/],
  ])("refuses %j", (input, message) => {
    const parsed = parseImportRequest(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it("takes anything that is not an object as no filters at all", () => {
    expect(parseImportRequest("all")).toEqual({ ok: true, value: { filters: {}, withCurrent: false } });
  });
});

describe("describeFilters", () => {
  it.each<[Parameters<typeof describeFilters>[0], string]>([
    [{ filters: {} }, "all runs"],
    [{ filters: { status: "FAILED" }, max: 1200 }, "status FAILED, at most 1,200"],
    [
      { filters: { batchId: "b1", sortBy: "updatedAt", sortDir: "asc" } },
      "batch b1, sorted by update time, oldest first",
    ],
  ])("%j -> %s", (request, text) => {
    expect(describeFilters(request)).toBe(text);
  });
});

describe("parseListPage", () => {
  it("reads credits given as numeric text as a refresh does, and leaves a figure that is no number blank", () => {
    const page = parseListPage(
      JSON.stringify({
        data: [
          { id: "workflow_run_1", usage: { credits: "1.5" } },
          { id: "workflow_run_2", usage: { credits: "lots" } },
          { id: "workflow_run_3", usage: null },
        ],
      }),
      scrub,
    );
    expect(page?.runs.map((run) => run.credits)).toEqual([1.5, null, null]);
  });

  it("reads runs and the cursor, skipping entries without an id and scrubbing server text", () => {
    const page = parseListPage(
      JSON.stringify({
        object: "list",
        data: [
          {
            id: "workflow_run_1",
            status: "PROCESSED",
            workflow: { id: "workflow_A", name: `Invoices ${KEY}` },
            batchId: null,
            files: [{ name: "a.pdf" }, { name: "b.pdf" }, {}],
            createdAt: "2026-01-02T03:04:05.000Z",
            updatedAt: "not a date",
            usage: { credits: 2.5 },
            dashboardUrl: "javascript:alert(1)",
          },
          { status: "FAILED" },
          "junk",
        ],
        nextPageToken: "abc==",
      }),
      scrub,
    );
    expect(page).toEqual({
      runs: [
        {
          id: "workflow_run_1",
          status: "PROCESSED",
          workflowName: "Invoices [redacted]",
          workflowId: "workflow_A",
          batchId: "",
          fileNames: "a.pdf, b.pdf",
          createdAt: new Date("2026-01-02T03:04:05.000Z"),
          credits: 2.5,
        },
      ],
      nextPageToken: "abc==",
    });
  });

  it.each(["", "<html>", '{"object":"list"}', '{"data":{}}', "null"])("refuses %j as a page", (body) => {
    expect(parseListPage(body, scrub)).toBeUndefined();
  });

  it("refuses a cursor too long to save in the job or send in a URL, or one that holds the key", () => {
    const page = (cursor: string) => JSON.stringify({ data: [], nextPageToken: cursor });
    expect(parseListPage(page("c".repeat(MAX_CURSOR_LENGTH)), scrub)).toEqual({
      runs: [],
      nextPageToken: "c".repeat(MAX_CURSOR_LENGTH),
    });
    expect(parseListPage(page("c".repeat(MAX_CURSOR_LENGTH + 1)), scrub)).toBeUndefined();
    expect(parseListPage(page(`abc${KEY}`), scrub)).toBeUndefined();
    expect(parseListPage(page("Bearer abc.def"), scrub)).toBeUndefined();
  });

  it("takes an empty cursor as the last page", () => {
    expect(parseListPage('{"data":[],"nextPageToken":""}', scrub)).toEqual({ runs: [] });
  });
});
