// What the sidebar sends and is sent, as tests build it: the import dialog's form (empty: every run) and a
// paused sync of 100 rows with 40 left.
import { emptyCounts, type JobView } from "../../src/core/engine/job";
import type { ImportForm } from "../../src/core/views/sidebar-api";

/** The import form with no filter, or with `fields` filled in. */
export function importForm(fields: Partial<ImportForm> = {}): ImportForm {
  return {
    workflowId: "",
    batchId: "",
    status: "",
    fileNameContains: "",
    sortBy: "",
    sortDir: "",
    max: "",
    withCurrent: false,
    ...fields,
  };
}

/** A sync paused with 60 of its 100 rows updated. */
export function pausedJob(overrides: Partial<JobView> = {}): JobView {
  return {
    id: "sync1",
    kind: "update",
    sheetName: "Runs",
    scopeLabel: "all rows",
    force: false,
    startedBy: "a@example.com",
    startedAt: 0,
    active: false,
    leaseHeld: false,
    rowsToSend: 100,
    rowsLeft: 40,
    counts: { ...emptyCounts(), updated: 60 },
    rate: 10,
    ...overrides,
  };
}
