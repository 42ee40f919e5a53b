// Rules of the add-on's source that a type checker cannot see: no argument spread (a row-sized array spread
// into Math.min or push overflows the call stack, at about 130,000 rows in V8), and no Apps Script global in the
// pure core. Checked on the syntax tree, so comments and strings cannot hide or fake a match. And the repository
// stands on its own: no file points at a path outside it (notes the code relies on live in docs/platform).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function findings(path: string, visit: (node: ts.Node, report: (what: string) => void) => void): string[] {
  const text = readFileSync(path, "utf8");
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2020, true);
  const found: string[] = [];
  const walk = (node: ts.Node) => {
    visit(node, (what) => {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${relative(root, path)}:${line + 1} ${what}`);
    });
    ts.forEachChild(node, walk);
  };
  walk(file);
  return found;
}

const APPS_SCRIPT_GLOBALS = new Set([
  "SpreadsheetApp",
  "UrlFetchApp",
  "PropertiesService",
  "LockService",
  "CacheService",
  "Utilities",
  "Session",
  "HtmlService",
  "ScriptApp",
  "Logger",
]);

/** What runs in Apps Script; the sidebar's browser code (src/ui/sidebar) shows lists capped at a few hundred. */
const appsScriptFiles = () =>
  sourceFiles(join(root, "src")).filter((path) => !relative(root, path).startsWith("src/ui/sidebar/"));

describe("src/", () => {
  it("spreads no array into a call's arguments in code that runs in Apps Script", () => {
    const spreads = appsScriptFiles().flatMap((path) =>
      findings(path, (node, report) => {
        if (ts.isSpreadElement(node) && (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)))
          report(node.getText());
      }),
    );
    expect(spreads).toEqual([]);
  });

  it("keeps Apps Script globals out of the pure core", () => {
    const uses = sourceFiles(join(root, "src/core")).flatMap((path) =>
      findings(path, (node, report) => {
        if (ts.isIdentifier(node) && APPS_SCRIPT_GLOBALS.has(node.text)) report(node.text);
      }),
    );
    expect(uses).toEqual([]);
  });
});

/** Folders of one machine: a path there exists on the machine that wrote it, not in a clone. */
const MACHINE_PATH = /(?<![\w.-])(?:\/(?:work|home|Users|root|mnt|srv|opt)\/|~\/|file:\/\/)[^\s"'`)\]]*/g;
/** A relative path climbing out of its folder. */
const CLIMB = /(?<![\w.])(?:\.\.\/)+[^\s"'`)\]]*/g;

/** Where a text points outside the repository, as "file:line what". */
function pathsOutside(file: string, text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    for (const match of line.matchAll(MACHINE_PATH)) found.push(`${where} ${match[0]}`);
    for (const match of line.matchAll(CLIMB)) {
      if (relative(root, resolve(root, dirname(file), match[0])).startsWith(".."))
        found.push(`${where} ${match[0]}`);
    }
  });
  return found;
}

describe("the repository", () => {
  it("finds paths of one machine and relative paths that climb out of it", () => {
    // Built from pieces, so that this file itself holds none of them.
    const shared = ["shared", "reference", "apps-script.md"].join("/");
    expect(pathsOutside("dev/gas-host/README.md", `see ${["", "work", shared].join("/")} §9`)).toHaveLength(
      1,
    );
    expect(
      pathsOutside("dev/x.ts", `// ${["~", "notes.md"].join("/")} and ${["file:", "", "", "tmp"].join("/")}`),
    ).toHaveLength(2);
    expect(pathsOutside("dev/stand-in/types.ts", `// ../${shared}`)).toEqual([]);
    expect(pathsOutside("dev/stand-in/types.ts", `// ${"../".repeat(3)}${shared}`)).toHaveLength(1);
    expect(pathsOutside("docs/platform/README.md", "[up](../../README.md)")).toEqual([]);
    expect(
      pathsOutside("test/dev/a.test.ts", 'join(dir, "../../dist/Code.js"); "/usr/bin/chromium"'),
    ).toEqual([]);
  });

  it("points at no path outside itself in any file it holds", () => {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
      cwd: root,
      encoding: "utf8",
    })
      .split("\0")
      .filter((file) => file !== "");
    expect(files.length).toBeGreaterThan(100);
    const outside = files.flatMap((file) => {
      let text: string;
      try {
        text = readFileSync(join(root, file), "utf8");
      } catch {
        return []; // listed but deleted in the working tree
      }
      return text.includes("\0") ? [] : pathsOutside(file, text);
    });
    expect(outside).toEqual([]);
  });
});
