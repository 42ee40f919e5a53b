// Property (fast-check, issue 14): whatever a person does to the sheet between two executions of a job of any kind
// (insert or delete columns and rows, sort, rename or delete the sheet, clear Sync State cells, change a Name),
// the job ends (finished, or stopped saying why: its sheet or its Sync State column was deleted) within a
// bounded number of executions; no row is lost, written onto another, or given another run's values; a row the
// person inserted stays empty; deleted rows are counted as deleted, a row whose Sync State was cleared is named
// as not synced, and every other count equals what the rows showed; Extend holds only what rows asked (a refresh,
// a preview or an import change nothing there) and no tag is lost; the key is shown nowhere. After a sync (or the
// sync a preview previewed), the same sync again brings Extend to what every row still there asks.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kindSpec, type TagMode } from "./kinds.js";
import { DELETABLE, userEdit } from "./user-edits.js";
import { EDITED_KINDS, editedJob, startEditsStandIn, stopEditsStandIn } from "./user-edits-run.js";

beforeAll(startEditsStandIn);
afterAll(stopEditsStandIn);

const edits = fc.array(userEdit([...DELETABLE.rows]), { minLength: 0, maxLength: 3 });
const importEdits = fc.array(userEdit([...DELETABLE.imported]), { minLength: 0, maxLength: 3 });

describe("a job of any kind while the person edits the sheet between its executions", () => {
  it("ends, keeps every row its own, counts what the rows showed, and changes in Extend only what rows asked", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...EDITED_KINDS).chain((kind) =>
          fc.record({
            kind: fc.constant(kind),
            mode: kindSpec(kind).tagMode
              ? fc.constant(kindSpec(kind).tagMode as TagMode)
              : fc.constantFrom<TagMode>("replace", "add", "remove"),
            batches: fc.array(kind.startsWith("import") ? importEdits : edits, {
              minLength: 1,
              maxLength: 4,
            }),
          }),
        ),
        async ({ kind, mode, batches }) => {
          expect(await editedJob(kind, mode, batches)).toEqual([]);
        },
      ),
      {
        numRuns: Number(process.env.USER_EDITS_RUNS ?? 40),
        seed: Number(process.env.USER_EDITS_SEED ?? 1414),
      },
    );
  }, 300_000);
});
