// Rules of the add-on's source that a type checker cannot see: no argument spread (a row-sized array spread
// into Math.min or push overflows the call stack, at about 130,000 rows in V8), and no Apps Script global in the
// pure core. Checked on the syntax tree, so comments and strings cannot hide or fake a match.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
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
