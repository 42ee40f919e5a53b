// The built dist/Code.js, the exact file clasp pushes: a classic script whose only globals are the entry
// functions of src/main.ts (as real function declarations) and the bundle's namespace.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as entry from "../../src/main";

const root = join(import.meta.dirname, "../..");
const bundle = readFileSync(join(root, "dist/Code.js"), "utf8");
const entryNames = Object.keys(entry).sort();

describe("dist/Code.js", () => {
  it("parses as a plain script, without import or export", () => {
    expect(() => new vm.Script(bundle, { filename: "Code.js" })).not.toThrow();
    expect(bundle).not.toMatch(/^\s*(import|export)\s/m);
  });

  it("declares one top-level function per export of src/main.ts and makes nothing else global", () => {
    const context = vm.createContext({});
    vm.runInContext(bundle, context);
    const globals = Object.keys(context).sort();
    expect(globals).toEqual([...entryNames, "ExtendSheetsSync"].sort());
    const declared = [...bundle.matchAll(/^function (\w+)\(/gm)].map((match) => match[1]).sort();
    expect(declared).toEqual(entryNames);
    for (const name of entryNames) expect(typeof context[name]).toBe("function");
  });

  it("forwards each entry function to the bundled implementation", () => {
    const built: string[] = [];
    const fakeUi = {
      createAddonMenu: () => menu,
      createMenu: () => menu,
    };
    const menu = {
      addItem: (caption: string, name: string) => {
        built.push(`${caption}->${name}`);
        return menu;
      },
      addSeparator: () => menu,
      addSubMenu: () => menu,
      addToUi: () => undefined,
    };
    const context = vm.createContext({ SpreadsheetApp: { getUi: () => fakeUi } });
    vm.runInContext(bundle, context);
    vm.runInContext("onOpen({ authMode: 'NONE' })", context);
    expect(built.length).toBeGreaterThan(5);
    for (const item of built) expect(entryNames).toContain(item.split("->")[1]);
  });

  it("is lowered for Apps Script's V8: no private class members or class field declarations", () => {
    const source = ts.createSourceFile("Code.js", bundle, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
    const unsupported: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isPrivateIdentifier(node)) unsupported.push(node.text);
      if (ts.isPropertyDeclaration(node)) unsupported.push(node.name.getText(source));
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(unsupported).toEqual([]);
  });
});

describe.each(["Sidebar.html", "ImportDialog.html"])("dist/%s", (file) => {
  const page = readFileSync(join(root, "dist", file), "utf8");

  it("is one self-contained page: inline style and script, nothing loaded from elsewhere", () => {
    expect(page).not.toContain("/* STYLE */");
    expect(page).not.toContain("/* SCRIPT */");
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import/i);
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? "");
    expect(scripts).toHaveLength(1);
    expect(() => new vm.Script(scripts[0] ?? "")).not.toThrow();
  });

  it("never writes markup from text: no innerHTML, outerHTML, insertAdjacentHTML or document.write", () => {
    expect(page).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });

  it("labels every field of the import form", () => {
    for (const id of [
      "import-workflow",
      "import-batch",
      "import-status",
      "import-file",
      "import-sort-by",
      "import-sort-dir",
      "import-max",
    ])
      expect(page).toMatch(new RegExp(`<label for="${id}">[^<]+`));
    expect(page).toMatch(/<label class="check"><input type="checkbox" id="import-current"> [A-Z]/);
    expect(page).toContain(">Import runs</button>");
  });
});

describe("dist/Sidebar.html", () => {
  const page = readFileSync(join(root, "dist/Sidebar.html"), "utf8");

  it("names every control the user guide and the tests use", () => {
    for (const name of [
      "Save key",
      "Remove key",
      "Test connection",
      "Check rows",
      "Sync all rows",
      "Sync selected rows",
      "Refresh all rows",
      "Refresh selected rows",
      "Compare with Extend",
      "Import runs",
    ])
      expect(page).toContain(`>${name}</button>`);
    expect(page).toMatch(/<label for="api-key">API key<\/label>/);
    expect(page).toMatch(/<fieldset class="modes" id="tag-mode">\s*<legend>Tags of each row<\/legend>/);
    for (const mode of ["replace", "add", "remove"])
      expect(page).toMatch(
        new RegExp(`<label class="check"><input type="radio" name="tag-mode" value="${mode}"[^>]*> [A-Z]`),
      );
  });
});
