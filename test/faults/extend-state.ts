// What Extend holds when a scenario starts, and what each row then asks of it under the job's tag mode, worked
// out here independently of the add-on. Kinds that read runs start from runs with tags the rows do not name (so
// a lost tag shows), and a preview from runs that already hold some rows' values (so it has rows to mark).
import { isDeepStrictEqual } from "node:util";
import type { StandInClient } from "../../dev/stand-in/process.js";
import type { StoredRun } from "../../dev/stand-in/types.js";
import type { KindSpec, TagMode } from "./kinds.js";
import type { HostileRows } from "./scenarios.js";
import type { HostileAnswer, RowIntent } from "./sheet.js";

export const TAGS_KEY = "extend:usage_tags";

/** The tags the run of the index-th update row holds before a kind that reads them (none: no tags key). */
export function existingTags(index: number): string[] | undefined {
  switch (index % 4) {
    case 0:
      return ["keep-me", "prod"];
    case 1:
      return undefined;
    case 2:
      return ["team-eng", "Customer123"];
    default:
      return ["prod", "keep-too", "customer123"];
  }
}

/** The tag list an update leaves under the mode: the named ones; current then new ones; current minus named. */
export function combine(mode: TagMode, current: readonly string[], named: readonly string[]): string[] {
  if (mode === "replace") return [...named];
  if (mode === "remove") return current.filter((tag) => !named.includes(tag));
  return [
    ...current,
    ...named.filter((tag, index) => !current.includes(tag) && named.indexOf(tag) === index),
  ];
}

export function tagsOf(metadata: Record<string, unknown> | undefined): string[] {
  const tags = metadata?.[TAGS_KEY];
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === "string") : [];
}

/** Why a row naming #CLEAR is refused outside the Replace mode (a fragment of its Sync Error). */
export const CLEAR_OUTSIDE_REPLACE = "only the Replace tag mode does";

/** The row as the mode sends it, given the tags its run holds: #CLEAR is invalid outside Replace. */
export function intentUnderMode(intent: RowIntent, mode: TagMode, current: readonly string[]): RowIntent {
  if (!sendable(intent) || mode === "replace" || intent.namedTags === undefined) return intent;
  if (intent.namedTags.length === 0) {
    const { body: _body, ...rest } = intent;
    return { ...rest, kind: "invalid", invalidBecause: CLEAR_OUTSIDE_REPLACE };
  }
  const metadata = { ...intent.body?.metadata, [TAGS_KEY]: combine(mode, current, intent.namedTags) };
  return { ...intent, body: { ...intent.body, metadata } };
}

/** A row a sync sends (to a run that may not exist, or whose values Extend refuses). */
export const sendable = (intent: RowIntent): boolean => intent.kind !== "invalid" && intent.kind !== "noop";

/**
 * Whether a sync under the mode ends the row with an update request: a row naming tags in the add or remove mode
 * is read first, and a run that cannot be read (404, 422) is never sent its update.
 */
export function expectsUpdate(intent: RowIntent, mode: TagMode): boolean {
  if (intent.kind === "update") return true;
  return sendable(intent) && (mode === "replace" || intent.namedTags === undefined);
}

export interface ExtendStart {
  /** The rows as the kind's mode sends them. */
  intents: RowIntent[];
  /** Runs stored in Extend before the job, by id: what a read must find, and what is never to change. */
  runs: Map<string, StoredRun>;
}

/**
 * Extend's runs for the scenario: seeded as they are for a sync that replaces tags (the matrix's first kind, as
 * it always was), otherwise with tags of their own on the update rows' runs and, for a preview, every row but
 * each third one's values already held. Also gives each chosen row its hostile answer.
 */
export function startingState(
  kind: KindSpec,
  mode: TagMode,
  sheetIntents: readonly RowIntent[],
  seeded: ReadonlyMap<string, StoredRun>,
  hostile: HostileRows | undefined,
): ExtendStart {
  const runs = new Map<string, StoredRun>();
  for (const intent of sheetIntents) {
    const run = seeded.get(intent.runId);
    if (run && !runs.has(intent.runId)) runs.set(intent.runId, structuredClone(run));
  }
  const hostileAt = hostileRows(sheetIntents.filter((intent) => intent.kind === "update").length, hostile);
  let updateIndex = -1;
  // A refresh reads every run whatever the row asks: its rows stay as the sheet has them.
  const underMode = (intent: RowIntent, current: readonly string[]) =>
    kind.job === "refresh" ? intent : intentUnderMode(intent, mode, current);
  const intents = sheetIntents.map((sheetIntent): RowIntent => {
    if (sheetIntent.kind !== "update") {
      const run = runs.get(sheetIntent.runId);
      return kind.id === "replace" ? sheetIntent : underMode(sheetIntent, tagsOf(run?.metadata));
    }
    updateIndex += 1;
    let intent = sheetIntent;
    const answer = hostileAt.get(updateIndex);
    if (answer) intent = { ...intent, hostile: answer };
    const run = runs.get(intent.runId);
    if (kind.id === "replace" || !run) return intent;
    const tags = existingTags(updateIndex);
    const metadata = { ...run.metadata };
    delete metadata[TAGS_KEY];
    if (tags) metadata[TAGS_KEY] = tags;
    run.metadata = metadata;
    const moded = underMode(intent, tags ?? []);
    if (kind.job === "preview" && moded.kind === "update" && updateIndex % 3 !== 1)
      run.metadata = { ...metadata, ...moded.body?.metadata };
    return moded;
  });
  return { intents, runs };
}

/** Which update rows (by index) get which hostile answer: each answer on `rowsEach` rows spread evenly. */
export function hostileRows(updates: number, hostile: HostileRows | undefined): Map<number, HostileAnswer> {
  const rows = new Map<number, HostileAnswer>();
  if (!hostile || updates === 0) return rows;
  const total = Math.min(updates, hostile.answers.length * hostile.rowsEach);
  for (let place = 0; place < total; place++) {
    const answer = hostile.answers[place % hostile.answers.length];
    if (answer) rows.set(Math.floor(((place + 0.5) * updates) / total), answer);
  }
  return rows;
}

/** Puts the starting runs into the stand-in (only those that differ from its seeded ones). */
export async function storeStartingRuns(
  extend: StandInClient,
  start: ExtendStart,
  seeded: ReadonlyMap<string, StoredRun>,
): Promise<void> {
  const changed = [...start.runs.values()].filter(
    (run) => !isDeepStrictEqual(run.metadata, seeded.get(run.id)?.metadata),
  );
  if (changed.length > 0) await extend.addRuns(changed);
}

/**
 * Whether a preview must find that the row's update would change nothing: no Name (which cannot be read back),
 * every metadata key it sets already so (a cleared key absent or null), and the tags as the mode leaves them.
 */
export function previewMatches(intent: RowIntent, stored: StoredRun | undefined, mode: TagMode): boolean {
  if (intent.kind !== "update" || !stored || !intent.body || intent.body.name !== undefined) return false;
  if (intent.hostile === "tags not a list" && intent.namedTags !== undefined) return false;
  for (const [key, proposed] of Object.entries(intent.body.metadata ?? {})) {
    if (key === TAGS_KEY) continue;
    const current = Object.hasOwn(stored.metadata, key) ? stored.metadata[key] : undefined;
    if (proposed === null ? current !== undefined && current !== null : !isDeepStrictEqual(current, proposed))
      return false;
  }
  if (intent.namedTags === undefined) return true;
  const current = tagsOf(stored.metadata);
  const named = intent.namedTags;
  if (mode === "replace")
    return new Set(current).size === new Set(named).size && named.every((tag) => current.includes(tag));
  if (mode === "add") return named.every((tag) => current.includes(tag));
  return named.every((tag) => !current.includes(tag));
}
