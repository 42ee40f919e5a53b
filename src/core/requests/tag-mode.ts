// How a sync treats the usage tags a row names. Extend replaces the whole tag list on update, so "add" and
// "remove" first read the run's current tags and send the union or the difference: a tag the user did not
// name is always sent back as it was read, never dropped.

import { type UpdateWorkflowRunBody, USAGE_TAGS_KEY } from "../../extend/api";

export type TagMode = "replace" | "add" | "remove";

export const TAG_MODES: readonly TagMode[] = ["replace", "add", "remove"];

export function parseTagMode(input: unknown): TagMode | undefined {
  return typeof input === "string" && (TAG_MODES as readonly string[]).includes(input)
    ? (input as TagMode)
    : undefined;
}

/** What the mode does, in a sentence for the person about to send. */
export const TAG_MODE_MEANING: Readonly<Record<TagMode, string>> = {
  replace: "Each row's Tags become the run's whole tag list (what Extend does with an update).",
  add: "Each row's Tags are added to the run's current tags, read just before the update; no tag is removed.",
  remove:
    "Each row's Tags are removed from the run's current tags, read just before the update; no other tag is touched.",
};

/**
 * The run's current tags as the update will send them back: the value must be a list of texts. Anything else
 * cannot be combined without guessing, so the row fails instead of losing what the run holds.
 */
export function currentTagList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return undefined;
  const tags: string[] = [];
  for (const tag of value) {
    if (typeof tag !== "string") return undefined;
    tags.push(tag);
  }
  return tags;
}

/** The list to send: current tags in their order, then named tags not among them; or current minus named. */
export function combineTags(
  mode: "add" | "remove",
  current: readonly string[],
  named: readonly string[],
): string[] {
  if (mode === "add") {
    const result = current.slice();
    for (const tag of named) if (!result.includes(tag)) result.push(tag);
    return result;
  }
  return current.filter((tag) => !named.includes(tag));
}

export const UNUSABLE_CURRENT_TAGS =
  "The run's current usage tags in Extend are not a list of texts, so tags cannot be added or removed without guessing. Nothing was sent for this row.";

/** Whether a row's request names tags at all: only such rows are read first, and only to them a mode applies. */
export function namesTags(body: UpdateWorkflowRunBody): boolean {
  return body.metadata?.[USAGE_TAGS_KEY] !== undefined;
}
