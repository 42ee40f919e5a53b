// Properties of every parser of an Extend answer and every fact the add-on derives from one (fast-check), for
// arbitrary JSON, values of the wrong type, nesting up to 10,000 levels, texts of 60,000+ characters holding
// the key, and bodies that are not JSON at all: nothing throws, every text kept is cut to its limit and scrubbed
// of the key, every cell written fits Sheets' 50,000 characters, and a step gets a run only with what it needs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { outcomeCells, type RowOutcome } from "../../src/core/engine/outcome";
import { creditsRuns, creditsSummary } from "../../src/core/jobs/credits/credits";
import { importRow } from "../../src/core/jobs/import/import-layout";
import { parseListPage } from "../../src/core/jobs/import/import-list";
import { type AttemptResult, classifyAttempt } from "../../src/core/requests/classify";
import { compareWithRun } from "../../src/core/requests/compare";
import type { RunField } from "../../src/core/requests/run-facts";
import { scrubberFor } from "../../src/core/requests/secrets";
import { combineTags } from "../../src/core/requests/tag-mode";
import { type CellValue, MAX_CELL_CHARACTERS } from "../../src/core/sheet/cell";
import { parseErrorBody } from "../../src/extend/errors";
import { anyBody, anyHeaders, anyJsonText, HOSTILE_KEY, hugeText, runBody } from "./hostile-arbitraries";

const RUN_ID = "workflow_run_hostile_1";
const scrub = scrubberFor([HOSTILE_KEY]);
const NOW = Date.UTC(2026, 3, 12);

/** Every text inside a value, however it is nested (values here are small: the walk may recurse). */
function textsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value instanceof Date || typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(textsOf);
}

function expectCellsSafe(cells: readonly CellValue[]): void {
  for (const cell of cells) {
    if (typeof cell !== "string") continue;
    expect(cell.length).toBeLessThanOrEqual(MAX_CELL_CHARACTERS);
    expect(cell).not.toContain(HOSTILE_KEY);
  }
}

const status = fc.oneof(
  { weight: 6, arbitrary: fc.constant(200) },
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 299 }) },
  { weight: 2, arbitrary: fc.integer({ min: 300, max: 599 }) },
);
const needs: fc.Arbitrary<RunField[]> = fc.subarray(["metadata", "usage"] as RunField[]);
const attempt: fc.Arbitrary<AttemptResult> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .record({ status, body: anyBody(RUN_ID), headers: anyHeaders })
      .map((response) => ({ response })),
  },
  { weight: 1, arbitrary: fc.oneof(hugeText, fc.string()).map((transportError) => ({ transportError })) },
);

describe("a Get or Update answer", () => {
  it("classifies anything without throwing, keeping only cut and scrubbed text, and what the step needs", () => {
    fc.assert(
      fc.property(attempt, needs, (answer, wanted) => {
        const verdict = classifyAttempt(answer, NOW, scrub, RUN_ID, wanted);
        if (verdict.kind !== "success") {
          expect(verdict.error.code.length).toBeLessThanOrEqual(100);
          expect(verdict.error.message.length).toBeLessThanOrEqual(600);
          expect((verdict.error.requestId ?? "").length).toBeLessThanOrEqual(100);
          expect(textsOf(verdict.error).join("\n")).not.toContain(HOSTILE_KEY);
          return;
        }
        const { facts } = verdict;
        for (const field of wanted) expect(facts.unreadable).not.toContain(field);
        expect(facts.status.length).toBeLessThanOrEqual(200);
        expect((facts.dashboardUrl ?? "https://").startsWith("https://")).toBe(true);
        const shown = [facts.status, facts.dashboardUrl ?? "", facts.tagsText, facts.metadataText];
        expect([...shown, facts.failure ?? "", verdict.requestId ?? ""].join("\n")).not.toContain(
          HOSTILE_KEY,
        );
        expect(facts.metadataText.length).toBeLessThanOrEqual(MAX_CELL_CHARACTERS + 10_000);
        // What the row is written as, for each outcome a run's facts make.
        const before = { runId: RUN_ID, state: {}, link: "" };
        const outcomes: RowOutcome[] = [
          { kind: "refreshed", facts, readAt: new Date(NOW) },
          { kind: "previewed", facts, readAt: new Date(NOW), verdict: "differs", fingerprint: "abc" },
          {
            kind: "updated",
            runStatus: facts.status,
            syncedAt: new Date(NOW),
            fingerprint: "abc",
            tagChanges: [],
            facts,
          },
        ];
        for (const outcome of outcomes)
          expectCellsSafe(Object.values(outcomeCells(outcome, before, "job1")) as CellValue[]);
        // And what is derived from it: the comparison a preview makes, the list add and remove would send.
        for (const mode of ["replace", "add", "remove"] as const)
          compareWithRun(
            { metadata: { team: "ops", k: { a: 1 }, "extend:usage_tags": ["a"] } },
            mode,
            facts.metadata,
          );
        if (facts.tags) {
          expect(combineTags("add", facts.tags, ["a"]).slice(0, facts.tags.length)).toEqual(facts.tags);
          expect(combineTags("remove", facts.tags, ["a"])).not.toContain("a");
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("an error body", () => {
  it("is read from anything without throwing, only texts and a boolean kept", () => {
    fc.assert(
      fc.property(anyBody(RUN_ID), (body) => {
        const parsed = parseErrorBody(body.slice(0, 20_000));
        for (const value of Object.values(parsed)) expect(["string", "boolean"]).toContain(typeof value);
      }),
      { numRuns: 30 },
    );
  });
});

describe("a List page", () => {
  const page = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.array(runBody(RUN_ID), { maxLength: 4 }), fc.option(anyJsonText, { nil: undefined }))
        .map(
          ([runs, cursor]) =>
            `{"data":[${runs.join(",")}]${cursor === undefined ? "" : `,"nextPageToken":${cursor}`}}`,
        ),
    },
    { weight: 1, arbitrary: anyBody(RUN_ID) },
  );

  it("is read from anything without throwing; each run's texts are cut, scrubbed and fit a cell", () => {
    fc.assert(
      fc.property(page, (body) => {
        const parsed = parseListPage(body, scrub);
        if (!parsed) return;
        expect((parsed.nextPageToken ?? "").length).toBeLessThanOrEqual(1_000);
        expect(parsed.nextPageToken ?? "").not.toContain(HOSTILE_KEY);
        for (const run of parsed.runs) {
          expect(run.id.length).toBeLessThanOrEqual(255);
          expect(textsOf(run).join("\n")).not.toContain(HOSTILE_KEY);
          expect(run.credits === null || Number.isFinite(run.credits)).toBe(true);
          expectCellsSafe(importRow(run, true, "v1"));
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("the credits summary from what a refresh wrote", () => {
  it("is made from any rows without throwing; every cell fits and none holds the key", () => {
    const facts = fc.array(anyBody(RUN_ID), { minLength: 1, maxLength: 4 }).map((bodies) =>
      bodies.map((body, index) => {
        const verdict = classifyAttempt(
          { response: { status: 200, headers: {}, body } },
          NOW,
          scrub,
          undefined,
          ["metadata", "usage"],
        );
        return { runId: `workflow_run_${index % 2}`, verdict };
      }),
    );
    fc.assert(
      fc.property(facts, (reads) => {
        const header = ["Run ID", "Current Tags", "Credits", "Refresh Error", "Sync State"];
        const rows: CellValue[][] = reads.map(({ runId, verdict }) => {
          const outcome: RowOutcome =
            verdict.kind === "success"
              ? { kind: "refreshed", facts: verdict.facts, readAt: new Date(NOW) }
              : { kind: "read failed", error: verdict.error };
          const cells = outcomeCells(outcome, { runId, state: {}, link: "" }, "job1");
          return [
            runId,
            cells.currentTags ?? "",
            cells.credits ?? "",
            cells.refreshError ?? "",
            "v1 done=job1",
          ];
        });
        const { runs, unreadable } = creditsRuns([header, ...rows], "job1", (date) => date.toISOString());
        expect(unreadable).toBeLessThanOrEqual(new Set(reads.map((read) => read.runId)).size);
        const summary = creditsSummary({ runs, readAt: new Date(NOW), source: "x", unreadable });
        expectCellsSafe(summary.flat());
        for (const row of summary.slice(1)) {
          if (row[0] === "") break;
          expect(typeof row[1]).toBe("number");
        }
      }),
      { numRuns: 30 },
    );
  });
});
