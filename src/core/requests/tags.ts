// Usage tags as the API treats them: it silently strips every character outside A-Z a-z 0-9 _ -, so the
// add-on does the same first and tells the user what will change before anything is sent.

const DISALLOWED_TAG_CHARACTERS = /[^A-Za-z0-9_-]/g;

export interface TagChange {
  typed: string;
  /** What Extend will store, or undefined when nothing is left and the tag is dropped. */
  sent?: string;
  reason: "characters removed" | "empty after cleaning" | "duplicate";
}

export interface ParsedTags {
  tags: string[];
  changes: TagChange[];
}

export function sanitizeTag(tag: string): string {
  return tag.replace(DISALLOWED_TAG_CHARACTERS, "");
}

export function parseTags(text: string): ParsedTags {
  const tags: string[] = [];
  const changes: TagChange[] = [];
  for (const piece of text.split(/[,\r\n]+/)) {
    const typed = piece.trim();
    if (typed === "") continue;
    const cleaned = sanitizeTag(typed);
    if (cleaned === "") {
      changes.push({ typed, reason: "empty after cleaning" });
    } else if (tags.includes(cleaned)) {
      changes.push({ typed, sent: cleaned, reason: "duplicate" });
    } else {
      if (cleaned !== typed) changes.push({ typed, sent: cleaned, reason: "characters removed" });
      tags.push(cleaned);
    }
  }
  return { tags, changes };
}

export function describeTagChange(change: TagChange): string {
  switch (change.reason) {
    case "characters removed":
      return `"${change.typed}" is sent as "${change.sent}"`;
    case "empty after cleaning":
      return `"${change.typed}" is dropped (no allowed characters)`;
    case "duplicate":
      return `"${change.typed}" is dropped (duplicate)`;
  }
}
