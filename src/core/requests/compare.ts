// The preview's question: would this row's update change anything in Extend? Metadata merges, so only the keys
// the row sets are compared, each with the run's current value; tags are compared as the tag mode would send
// them. The API returns no name: a row that sets one is still compared on its metadata and tags, but when those
// match it is "unknown", never "matches", as its name may differ.
import { type JsonValue, type UpdateWorkflowRunBody, USAGE_TAGS_KEY } from "../../extend/api";
import { sameJson } from "./json-walk";
import { combineTags, currentTagList, type TagMode } from "./tag-mode";

/** How a preview judged a row: Extend already holds what it asks for, would change, or (a Name) cannot tell. */
export type PreviewVerdict = "matches" | "differs" | "unknown";

export interface KeyComparison {
  key: string;
  /** undefined when the run has no such key. */
  current: JsonValue | undefined;
  proposed: JsonValue;
  same: boolean;
}

export interface TagComparison {
  /** undefined when the run's tags are not a list of texts. */
  current: string[] | undefined;
  /** What the update would leave on the run, under the mode. */
  proposed: string[] | undefined;
  same: boolean;
}

export interface Comparison {
  verdict: PreviewVerdict;
  metadata: KeyComparison[];
  tags?: TagComparison;
  /** The row sets a Name, which cannot be read back. */
  name: boolean;
}

/**
 * A key the row clears (null) is the same as a key the run does not have: whether Extend stores null or drops
 * the key is not documented, and either way the value is gone.
 */
function sameValue(current: JsonValue | undefined, proposed: JsonValue): boolean {
  if (proposed === null) return current === undefined || current === null;
  // Walked without recursion: the run's value may nest thousands of levels deep.
  return current !== undefined && sameJson(current, proposed);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((tag) => right.has(tag));
}

function compareTags(named: readonly string[], currentValue: unknown, mode: TagMode): TagComparison {
  const current = currentTagList(currentValue);
  if (!current) return { current, proposed: mode === "replace" ? [...named] : undefined, same: false };
  if (mode === "replace") return { current, proposed: [...named], same: sameSet(current, named) };
  const proposed = combineTags(mode, current, named);
  // Adding tags the run has, or removing tags it lacks, leaves the list exactly as it is.
  return {
    current,
    proposed,
    same: proposed.length === current.length && proposed.every((tag, i) => tag === current[i]),
  };
}

/** Compares what the row asks for with the run's current metadata (the tags included, under their key). */
export function compareWithRun(
  body: UpdateWorkflowRunBody,
  mode: TagMode,
  currentMetadata: Readonly<Record<string, JsonValue>>,
): Comparison {
  const comparison: Comparison = { verdict: "matches", metadata: [], name: body.name !== undefined };
  const proposedMetadata = body.metadata ?? {};
  for (const key of Object.keys(proposedMetadata)) {
    const proposed = proposedMetadata[key] ?? null;
    if (key === USAGE_TAGS_KEY) {
      const named = Array.isArray(proposed)
        ? proposed.filter((tag): tag is string => typeof tag === "string")
        : [];
      comparison.tags = compareTags(named, currentMetadata[key], mode);
      continue;
    }
    const current =
      Object.getOwnPropertyDescriptor(currentMetadata, key) !== undefined ? currentMetadata[key] : undefined;
    comparison.metadata.push({ key, current, proposed, same: sameValue(current, proposed) });
  }
  const differs = comparison.metadata.some((entry) => !entry.same) || comparison.tags?.same === false;
  comparison.verdict = differs ? "differs" : comparison.name ? "unknown" : "matches";
  return comparison;
}
