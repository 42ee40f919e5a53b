// Each error can be looked up: the user guide has an entry, with an explicit anchor, for every code the add-on's
// source can write (read from the source: the codes it makes itself and those its advice tables know), and for
// the codes it does not know. The texts name the entry ("See "NOT_FOUND" in the user guide."); the anchor is
// "error-" and the entry's name in lower case with "-" for "_" and spaces.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { documentedCodes, OTHER_CODES_ENTRY } from "../../src/core/requests/messages.js";
import { entryAnchor, USER_GUIDE as guide } from "../support/user-guide.js";
import { anchorsOf } from "./markdown-links.js";

const root = join(import.meta.dirname, "../..");

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every code a failure is given in the source: `code: "LIST_LOOP"` wherever a SyncError is made. */
const codesMadeInSource = [
  ...new Set(
    sourceFiles(join(root, "src")).flatMap((path) =>
      [...readFileSync(path, "utf8").matchAll(/\bcode: "([A-Z][A-Z0-9_]*)"/g)].map((match) => match[1] ?? ""),
    ),
  ),
].sort();

describe("the user guide's error list", () => {
  const anchors = anchorsOf(guide);

  it("reads the codes from the source (so that the checks below check something)", () => {
    expect(codesMadeInSource).toEqual(expect.arrayContaining(["BAD_RESPONSE", "LIST_LOOP", "NETWORK_ERROR"]));
    expect(documentedCodes()).toEqual(expect.arrayContaining(["UNAUTHORIZED", "INVALID_ROW", "SHEET_FULL"]));
  });

  it("knows every code the source makes, so its text names the code's own entry", () => {
    expect(codesMadeInSource.filter((code) => !documentedCodes().includes(code))).toEqual([]);
  });

  it.each([...documentedCodes(), OTHER_CODES_ENTRY])("has an entry with its own anchor for %s", (entry) => {
    expect(anchors).toContain(entryAnchor(entry));
    // The anchor sits in the table row that names the code, so the link lands on its explanation.
    const row = guide.split("\n").find((line) => line.includes(`<a id="${entryAnchor(entry)}"></a>`));
    expect(row).toMatch(new RegExp(`^\\| <a id="${entryAnchor(entry)}"></a>(\`${entry}\`|${entry})`));
  });

  it("has no entry for a code the add-on cannot write", () => {
    const entries = [...guide.matchAll(/<a id="(error-[a-z0-9-]+)"><\/a>/g)].map((match) => match[1]);
    expect(entries.sort()).toEqual([...documentedCodes(), OTHER_CODES_ENTRY].map(entryAnchor).sort());
  });
});
