// Properties of parsing and request building over random sheets (fast-check): nothing throws out of the core,
// every request goes to the row's own encoded run id under /workflow_runs/, every tag sent is one Extend keeps
// as is, every body is within the API's limits (or its row is an error), and a run id on two rows sends neither.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planSync } from "../../../src/core/engine/plan";
import { buildUpdateRequest } from "../../../src/core/requests/request";
import type { CellValue } from "../../../src/core/sheet/cell";
import { cellText } from "../../../src/core/sheet/cell";
import { mapHeaders } from "../../../src/core/sheet/headers";
import { MAX_METADATA_BYTES, MAX_RUN_ID_LENGTH, USAGE_TAGS_KEY } from "../../../src/extend/api";
import { parseContext, sheetValues } from "../arbitraries";

const CONNECTION = { baseUrl: "https://api.extend.ai/", apiKey: "sk_property_key_0123", workspaceId: "ws_1" };
const RUNS = { numRuns: 300 };
const TAG = /^[A-Za-z0-9_-]+$/;

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** Every request a sync of the sheet would send (force: unchanged rows too), with the row it came from. */
function requestsOf(values: CellValue[][], scope: ReadonlySet<number> | "all" = "all") {
  const plan = planSync(values, scope, true, parseContext);
  if (!plan.ok) return { plan, sends: [] };
  const sends = plan.plan.rows.flatMap((row) =>
    "send" in row.action
      ? [{ row, body: row.action.send, request: buildUpdateRequest(row.runId, row.action.send, CONNECTION) }]
      : [],
  );
  return { plan, sends };
}

describe("parsing and request building never throw", () => {
  it("plans any sheet, for all rows or a random scope, forced or not", () => {
    fc.assert(
      fc.property(
        sheetValues,
        fc.array(fc.integer({ min: 0, max: 12 })),
        fc.boolean(),
        (values, rows, force) => {
          for (const scope of ["all", new Set(rows)] as const) {
            const plan = planSync(values, scope, force, parseContext);
            if (plan.ok) {
              for (const row of plan.plan.rows) {
                if ("send" in row.action) buildUpdateRequest(row.runId, row.action.send, CONNECTION);
              }
            } else expect(plan.problems.length).toBeGreaterThan(0);
          }
        },
      ),
      RUNS,
    );
  });
});

describe("every request", () => {
  it("is a POST of the row's own run id, encoded, as the one segment after /workflow_runs/", () => {
    fc.assert(
      fc.property(sheetValues, (values) => {
        const headers = mapHeaders(values[0] ?? []);
        for (const { row, request } of requestsOf(values).sends) {
          const prefix = "https://api.extend.ai/workflow_runs/";
          expect(request.url.startsWith(prefix)).toBe(true);
          const segment = request.url.slice(prefix.length);
          expect(segment).toBe(encodeURIComponent(row.runId));
          expect(segment).not.toMatch(/[/?#\s]/);
          expect(decodeURIComponent(segment)).toBe(row.runId);
          if (headers.ok) {
            const cell = values[row.row - 1]?.[headers.columns.runId] ?? "";
            expect(row.runId).toBe(cellText(cell, parseContext.dateToIso));
          }
          expect(request.method).toBe("post");
          expect(request.followRedirects).toBe(false);
          expect(request.muteHttpExceptions).toBe(true);
          expect(request.contentType).toBe("application/json");
          expect(request.headers.Authorization).toBe(`Bearer ${CONNECTION.apiKey}`);
          expect(request.headers["x-extend-api-version"]).toBe("2026-02-09");
        }
      }),
      RUNS,
    );
  });

  it("sends only tags Extend keeps unchanged, each once, and only in metadata.extend:usage_tags", () => {
    fc.assert(
      fc.property(sheetValues, (values) => {
        for (const { body, request } of requestsOf(values).sends) {
          const tags = body.metadata?.[USAGE_TAGS_KEY];
          if (tags === undefined) continue;
          expect(Array.isArray(tags)).toBe(true);
          const list = tags as unknown[];
          for (const tag of list) expect(typeof tag === "string" && TAG.test(tag)).toBe(true);
          expect(new Set(list).size).toBe(list.length);
          const sent = JSON.parse(request.payload) as { metadata?: Record<string, unknown> };
          expect(sent.metadata?.[USAGE_TAGS_KEY]).toEqual(list);
        }
      }),
      RUNS,
    );
  });

  it("has a body within the API's limits: a valid run id, metadata of at most 10 KB, JSON that reads back", () => {
    fc.assert(
      fc.property(sheetValues, (values) => {
        for (const { row, body, request } of requestsOf(values).sends) {
          expect(row.runId.length).toBeGreaterThan(0);
          expect(row.runId.length).toBeLessThanOrEqual(MAX_RUN_ID_LENGTH);
          expect(row.runId).not.toMatch(/\s/);
          expect(row.runId).not.toMatch(/^(exr_|pr_|clr_|splr_|edr_)/);
          if (body.metadata)
            expect(utf8Bytes(JSON.stringify(body.metadata))).toBeLessThanOrEqual(MAX_METADATA_BYTES);
          expect(Object.keys(JSON.parse(request.payload))).toEqual(Object.keys(body));
          expect(body.name === undefined || typeof body.name === "string").toBe(true);
          expect(body.name !== undefined || body.metadata !== undefined).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe("rows that are not sent", () => {
  it("are errors with a reason, and a run id on two rows in scope sends neither row", () => {
    fc.assert(
      fc.property(sheetValues, (values) => {
        const { plan, sends } = requestsOf(values);
        if (!plan.ok) return;
        for (const row of plan.plan.rows) {
          if ("outcome" in row.action && row.action.outcome.kind === "invalid") {
            expect(row.action.outcome.errors.length).toBeGreaterThan(0);
            for (const error of row.action.outcome.errors) expect(error.trim()).not.toBe("");
          }
        }
        const counts = new Map<string, number>();
        for (const row of plan.plan.rows)
          if (row.runId !== "") counts.set(row.runId, (counts.get(row.runId) ?? 0) + 1);
        for (const { row } of sends) expect(counts.get(row.runId)).toBe(1);
      }),
      RUNS,
    );
  });
});
