// The job kinds the fault matrix runs each scenario under: a sync in each tag mode, a refresh, a preview (in each
// tag mode in turn), an import with and without current values, and with Keep history on (issue 18) a sync (in
// each tag mode in turn) and the undo of a clean sync. Each is started the way the sidebar starts
// it, and its faults aim at the requests it makes.
import type { FaultMatch } from "../../dev/stand-in/faults.js";

export type TagMode = "replace" | "add" | "remove";

export type KindId =
  | "replace"
  | "add"
  | "remove"
  | "refresh"
  | "preview"
  | "import"
  | "import-current"
  | "history"
  | "undo";

export interface KindSpec {
  id: KindId;
  /** The report's section title. */
  title: string;
  /** What the job does with rows: update them, read them into the read-only columns, or compare them. */
  job: "update" | "refresh" | "preview" | "import" | "undo";
  /** The tag mode of an update; a preview's and a sync with history's depend on the scenario (previewMode). */
  tagMode?: TagMode;
  /** The requests of this kind that faults aim at. */
  faultsOn: FaultMatch;
  /** Keep history on: every change has its record in the history sheet (checks-history.ts). */
  history?: boolean;
}

export const KINDS: readonly KindSpec[] = [
  {
    id: "replace",
    title: "Sync, tags replaced",
    job: "update",
    tagMode: "replace",
    faultsOn: { method: "POST" },
  },
  // Adding and removing read each run's tags (GET) before the update (POST): faults strike both.
  { id: "add", title: "Sync, tags added", job: "update", tagMode: "add", faultsOn: {} },
  { id: "remove", title: "Sync, tags removed", job: "update", tagMode: "remove", faultsOn: {} },
  { id: "refresh", title: "Refresh from Extend", job: "refresh", faultsOn: { method: "GET" } },
  { id: "preview", title: "Preview (compare rows with Extend)", job: "preview", faultsOn: { method: "GET" } },
  // An import reads List's pages; with current values it then reads each run, and faults strike both.
  {
    id: "import",
    title: "Import runs",
    job: "import",
    faultsOn: { method: "GET", path: "/workflow_runs" },
  },
  {
    id: "import-current",
    title: "Import runs with current values",
    job: "import",
    faultsOn: { method: "GET" },
  },
  // A sync with Keep history on reads each run before its update (its values before go into the record).
  {
    id: "history",
    title: "Sync with history (tags replaced, added, removed in turn)",
    job: "update",
    faultsOn: {},
    history: true,
  },
  // A clean sync with history first; the undo of it reads each run, then sends the values before.
  { id: "undo", title: "Undo of a sync", job: "undo", faultsOn: {}, history: true },
];

export function kindSpec(id: KindId): KindSpec {
  const spec = KINDS.find((kind) => kind.id === id);
  if (!spec) throw new Error(`no job kind ${id}`);
  return spec;
}

/** The tag modes a preview (and a sync with history) takes in turn, scenario after scenario, so every mode meets every kind of fault. */
const PREVIEW_MODES: readonly TagMode[] = ["replace", "add", "remove"];

export function previewMode(scenarioIndex: number): TagMode {
  return PREVIEW_MODES[scenarioIndex % PREVIEW_MODES.length] ?? "replace";
}

/** The google.script.run call that starts a job of this kind, as the sidebar makes it. */
export function startCall(
  kind: KindSpec,
  tagMode: TagMode,
): { fn: string; request: Record<string, unknown> } {
  switch (kind.job) {
    case "update":
      return { fn: "startSyncJob", request: { selectedRowsOnly: false, force: false, tagMode } };
    case "refresh":
      return { fn: "startRefreshJob", request: { selectedRowsOnly: false } };
    case "preview":
      return { fn: "startPreviewJob", request: { tagMode } };
    case "import":
      throw new Error("an import is started with its form (run-import.ts)");
    case "undo":
      throw new Error("an undo is started with the id of the sync it undoes (run-undo.ts)");
  }
}
