// What the add-on takes from a WorkflowRun that Get or Update returned: its status, link, current metadata and
// tags, credits and failure. Text meant for a cell or a screen is scrubbed of the key and cut; the tags and
// metadata kept for computing an update or a comparison stay exactly as read, as they only go back to Extend.
// A field the answer lacks, or holds in a form the add-on cannot read, is unknown, never empty: the run's facts
// name it, and a step that depends on it takes the answer as unreadable (src/core/engine/steps.ts).
import { type JsonValue, USAGE_TAGS_KEY, type WorkflowRunResponse } from "../../extend/api";
import { MAX_CELL_CHARACTERS } from "../sheet/cell";
import { jsonText } from "./json-walk";
import { fromServer, type Scrub } from "./secrets";
import { currentTagList } from "./tag-mode";

/**
 * What a step may depend on beyond the run's id and status (which every answer must carry): the metadata
 * (its tags included), and the usage figure. Extend always sends both (the SDK types mark them required).
 */
export type RunField = "metadata" | "usage";

export interface RunFacts {
  status: string;
  dashboardUrl?: string;
  /** The run's metadata as read, for comparisons and for sending tags back; never shown as it is. */
  metadata: Record<string, JsonValue>;
  /** The run's usage tags as read, or undefined when Extend holds something that is not a list of texts. */
  tags: string[] | undefined;
  /** For the Current Tags cell: the tags separated by commas (or what Extend holds instead), scrubbed. */
  tagsText: string;
  /** For the Current Metadata cell: the metadata other than the tags, as JSON, scrubbed. */
  metadataText: string;
  /** usage.credits; null where the API gives no usage (older runs, legacy billing) or it is unreadable. */
  credits: number | null;
  /** For a failed run: "REASON: message", scrubbed. */
  failure?: string;
  /** Fields the answer lacked or held unreadably: `metadata`, `tags` and `credits` say nothing about them. */
  unreadable: RunField[];
}

/** Starts the Current Tags cell of a run whose tags are not a list of texts. */
export const NOT_A_TAG_LIST = "(not a list of tags)";

/** Enough for any real value; a hostile or broken server's 60,000 characters are cut, not stored. */
const MAX_LENGTH = { status: 200, link: 2_000, failure: 1_000 } as const;
/** Text beyond this is never looked at: scrubbing first and cutting after must not split a key in two. */
const READ_AT_MOST = MAX_CELL_CHARACTERS + 10_000;

function isRecord(value: unknown): value is Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A number written as text, as some serializers send decimals: "1.5", "-2", "3e-2"; nothing looser. */
const DECIMAL_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * usage.credits: a number, or undefined when it cannot be read. A numeric text ("1.5") is read as its number.
 * No usage at all (null, or not sent) is how Extend documents runs before 2025-10-07 and legacy billing: null.
 */
export function creditsOf(usage: unknown): number | null | undefined {
  if (usage === undefined || usage === null) return null;
  if (!isRecord(usage)) return undefined;
  const credits = usage.credits;
  if (typeof credits === "number") return Number.isFinite(credits) ? credits : undefined;
  if (typeof credits !== "string" || !DECIMAL_TEXT.test(credits.trim())) return undefined;
  const parsed = Number(credits.trim());
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Why a step cannot use the run's `field`, in words for "Extend answered 200 with …"; undefined when it can. */
export function unreadableField(run: WorkflowRunResponse, field: RunField): string | undefined {
  if (field === "metadata") {
    if (run.metadata === undefined) return "a workflow run without its metadata";
    return isRecord(run.metadata) ? undefined : "a workflow run whose metadata is not an object";
  }
  return creditsOf(run.usage) === undefined
    ? "a workflow run whose usage.credits is not a number"
    : undefined;
}

/** Writes at most READ_AT_MOST characters, however many tags or levels of nesting Extend holds. */
function tagsText(value: unknown, tags: string[] | undefined, scrub: Scrub): string {
  if (tags) {
    let text = "";
    for (const tag of tags) {
      if (text.length >= READ_AT_MOST) break;
      text += text === "" ? tag : `, ${tag}`;
    }
    return scrub(text.slice(0, READ_AT_MOST));
  }
  // Shown as Extend holds it, so the person can see why add and remove refuse this run.
  return scrub(`${NOT_A_TAG_LIST} ${jsonText(value ?? null, READ_AT_MOST).text}`);
}

export function runFacts(run: WorkflowRunResponse, scrub: Scrub): RunFacts {
  const unreadable: RunField[] = [];
  if (unreadableField(run, "metadata")) unreadable.push("metadata");
  if (unreadableField(run, "usage")) unreadable.push("usage");
  const metadata = isRecord(run.metadata) ? run.metadata : {};
  const tags = currentTagList(metadata[USAGE_TAGS_KEY]);
  // Everything but the tags, which have their own cell; written without recursion, at any depth.
  const rest = jsonText(metadata, READ_AT_MOST, USAGE_TAGS_KEY).text;
  const facts: RunFacts = {
    status: fromServer(run.status, MAX_LENGTH.status, scrub),
    metadata,
    tags,
    tagsText: tagsText(metadata[USAGE_TAGS_KEY], tags, scrub),
    metadataText: rest === "{}" ? "" : scrub(rest),
    credits: creditsOf(run.usage) ?? null,
    unreadable,
  };
  // Only a web address is a link; anything else (javascript:, a formula) is not written at all.
  if (typeof run.dashboardUrl === "string" && /^https:\/\//i.test(run.dashboardUrl))
    facts.dashboardUrl = fromServer(run.dashboardUrl, MAX_LENGTH.link, scrub);
  const reason = typeof run.failureReason === "string" ? run.failureReason : "";
  const message = typeof run.failureMessage === "string" ? run.failureMessage : "";
  if (reason !== "" || message !== "")
    facts.failure = fromServer(
      [reason, message].filter((part) => part !== "").join(": "),
      MAX_LENGTH.failure,
      scrub,
    );
  return facts;
}
