// The benchmark writes its figures into the engineering guide, between the bench markers, and nowhere else: the
// rest of the guide is kept as it is, and the block's links resolve from where it now lives (docs/).
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type BenchReport, FIGURES_FILE, figuresBlock, withFiguresBlock } from "../../bench/report.js";
import { brokenLinks, linksOf } from "../build/markdown-links.js";

const root = join(import.meta.dirname, "../..");
const guide = readFileSync(join(root, FIGURES_FILE), "utf8");

const report: BenchReport = {
  date: "2026-01-02",
  latencyMs: 100,
  budgetMinutes: 13,
  realSeconds: 1,
  entries: [],
  targets: [{ target: "Pure core ≤ 20 µs CPU per row (100,000 rows)", met: true, detail: "12.0 µs per row" }],
};

describe("the figures block", () => {
  it("lives in the engineering guide, once, and not in the README", () => {
    expect(FIGURES_FILE).toBe("docs/engineering.md");
    expect(guide.split("<!-- bench:start -->")).toHaveLength(2);
    expect(guide.split("<!-- bench:end -->")).toHaveLength(2);
    expect(readFileSync(join(root, "README.md"), "utf8")).not.toContain("<!-- bench:");
  });

  it("is replaced between its markers, the rest of the guide kept", () => {
    const block = figuresBlock(report);
    const written = withFiguresBlock(guide, block);
    const start = guide.indexOf("<!-- bench:start -->");
    const end = guide.indexOf("<!-- bench:end -->");
    expect(written.slice(0, start)).toBe(guide.slice(0, start));
    expect(written.endsWith(guide.slice(end))).toBe(true);
    expect(written).toContain(`<!-- bench:start -->\n${block}\n<!-- bench:end -->`);
    expect(withFiguresBlock(written, block)).toBe(written);
  });

  it("links to the full figures from docs/, so every link of the guide still resolves", () => {
    const written = withFiguresBlock(guide, figuresBlock(report));
    expect(linksOf(figuresBlock(report)).map((link) => link.target)).toEqual(["benchmarks.md"]);
    const problems = brokenLinks(
      {
        read: (path) => (path === FIGURES_FILE ? written : readFileSync(join(root, path), "utf8")),
        kind: (path) => {
          const found = statSync(join(root, path), { throwIfNoEntry: false });
          return found === undefined ? undefined : found.isDirectory() ? "folder" : "file";
        },
      },
      [FIGURES_FILE],
    );
    expect(problems).toEqual([]);
  });

  it("refuses a guide without exactly one pair of markers rather than write somewhere else", () => {
    expect(() => withFiguresBlock("# No markers\n", "x")).toThrow(/no single/);
    expect(() =>
      withFiguresBlock(
        "<!-- bench:start -->\n<!-- bench:end -->\n<!-- bench:start -->\n<!-- bench:end -->\n",
        "x",
      ),
    ).toThrow(/no single/);
  });
});
