// What the add-on takes from a WorkflowRun that Get or Update returned: its status, link, current metadata and
// tags, credits and failure. Text meant for a cell or a screen is scrubbed of the key and cut; the tags and
// metadata kept for computing an update or a comparison stay exactly as read, as they only go back to Extend.
import { type JsonValue, USAGE_TAGS_KEY, type WorkflowRunResponse } from "../extend/api";
import { MAX_CELL_CHARACTERS } from "./cell";
import { fromServer, type Scrub } from "./secrets";
import { currentTagList } from "./tag-mode";

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
  /** usage.credits; null where the API gives none (older runs, legacy billing) or something not a number. */
  credits: number | null;
  /** For a failed run: "REASON: message", scrubbed. */
  failure?: string;
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

function creditsOf(usage: unknown): number | null {
  if (!isRecord(usage)) return null;
  const credits = usage.credits;
  return typeof credits === "number" && Number.isFinite(credits) ? credits : null;
}

function tagsText(value: unknown, tags: string[] | undefined, scrub: Scrub): string {
  if (tags) return scrub(tags.join(", "));
  // Shown as Extend holds it, so the person can see why add and remove refuse this run.
  return scrub(`${NOT_A_TAG_LIST} ${JSON.stringify(value ?? null).slice(0, READ_AT_MOST)}`);
}

export function runFacts(run: WorkflowRunResponse, scrub: Scrub): RunFacts {
  const metadata = isRecord(run.metadata) ? run.metadata : {};
  const tags = currentTagList(metadata[USAGE_TAGS_KEY]);
  const rest: Record<string, JsonValue> = {};
  for (const key of Object.keys(metadata)) if (key !== USAGE_TAGS_KEY) rest[key] = metadata[key] ?? null;
  const facts: RunFacts = {
    status: fromServer(run.status, MAX_LENGTH.status, scrub),
    metadata,
    tags,
    tagsText: tagsText(metadata[USAGE_TAGS_KEY], tags, scrub),
    metadataText: Object.keys(rest).length === 0 ? "" : scrub(JSON.stringify(rest).slice(0, READ_AT_MOST)),
    credits: creditsOf(run.usage),
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
