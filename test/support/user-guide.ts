// The user guide's error list as the add-on's texts name it: an error text ends with `See "NOT_FOUND" in the
// user guide.`, and that entry's explicit anchor in docs/user-guide.md is "error-" and the entry's name in lower
// case with "-" for "_" and spaces.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const USER_GUIDE = readFileSync(join(import.meta.dirname, "../../docs/user-guide.md"), "utf8");

/** The anchor of a user-guide entry. */
export const entryAnchor = (entry: string): string =>
  `error-${entry.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

/** The entry an error text names at its end (or before what follows it), if any. */
export function entryNamed(text: string): string | undefined {
  return /See "([^"]+)" in the user guide\.(?: |$)/.exec(text)?.[1];
}
