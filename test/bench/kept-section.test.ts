// The matrix rewrites docs/benchmarks.md whole; the history section, run by hand, must come through it unchanged.
import { describe, expect, it } from "vitest";
import { HISTORY_HEADING, keptSection } from "../../bench/report.js";

const previous = [
  "# Benchmarks",
  "",
  "## Where the time goes",
  "",
  "| a |",
  "",
  HISTORY_HEADING,
  "",
  "Measured by hand.",
  "",
  "| Rows | Wall |",
  "| ---- | ---: |",
  "| 10   |  1.0 |",
  "",
  "## The naive baseline",
  "",
  "text",
].join("\n");

describe("the history section kept by the matrix", () => {
  it("is taken from its heading to the next heading, as it was", () => {
    expect(keptSection(previous, HISTORY_HEADING)).toBe(
      [
        HISTORY_HEADING,
        "",
        "Measured by hand.",
        "",
        "| Rows | Wall |",
        "| ---- | ---: |",
        "| 10   |  1.0 |",
      ].join("\n"),
    );
  });

  it("runs to the end of a report where it is the last section", () => {
    expect(keptSection(`# B\n\n${HISTORY_HEADING}\n\nlast\n`, HISTORY_HEADING)).toBe(
      `${HISTORY_HEADING}\n\nlast`,
    );
  });

  it("is absent from a report without it", () => {
    expect(keptSection("# Benchmarks\n\n## The naive baseline\n", HISTORY_HEADING)).toBeUndefined();
  });
});
