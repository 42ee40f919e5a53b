// What npm run release reads from clasp's answers (scripts/release-clasp.ts): the --json values clasp 3.4.1
// prints, their plain-text forms, and every answer that names no pushed files, version or deployment, which must
// read as none.
import { describe, expect, it } from "vitest";
import { parseDeployment, parsePushedFiles, parseVersionNumber } from "../../scripts/release-clasp.js";

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

describe("parseVersionNumber", () => {
  it("reads create-version --json, also after other lines, and the plain-text form", () => {
    expect(parseVersionNumber(`${pretty({ versionNumber: 12 })}\n`)).toBe(12);
    expect(
      parseVersionNumber(`Warning: a newer clasp exists {soon}\n${pretty({ versionNumber: 3 })}\n`),
    ).toBe(3);
    expect(parseVersionNumber("Created version 41\n")).toBe(41);
  });

  it.each([
    ["an empty answer", ""],
    ["markup", "<html><body>Service Unavailable</body></html>"],
    ["a zero version", pretty({ versionNumber: 0 })],
    ["a negative version", pretty({ versionNumber: -2 })],
    ["a fraction", pretty({ versionNumber: 2.5 })],
    ["a version as text", pretty({ versionNumber: "7" })],
    ["no versionNumber", pretty({ version: 7 })],
    ["a list", pretty([{ versionNumber: 7 }])],
    ["a number too large to be exact", pretty({ versionNumber: 2 ** 60 })],
    ["JSON cut short", '{\n  "versionNumber": 7'],
    ["60,000 characters", `Created version 7${" ".repeat(60_000)}x\n`.repeat(2)],
    ["5,000 levels of nesting", `${"[".repeat(5_000)}${"]".repeat(5_000)}`],
    ["a version in a sentence", "We created version 7 for you"],
  ])("reads no version from %s", (_, answer) => {
    expect(parseVersionNumber(answer)).toBeUndefined();
  });
});

describe("parseDeployment", () => {
  it("reads create-deployment --json and the plain-text forms", () => {
    expect(
      parseDeployment(pretty({ deploymentId: "AKfycbx_1-2", versionNumber: 4, description: "x" })),
    ).toEqual({
      deploymentId: "AKfycbx_1-2",
      versionNumber: 4,
    });
    expect(parseDeployment("Deployed AKfycbx_1-2 @4\n")).toEqual({
      deploymentId: "AKfycbx_1-2",
      versionNumber: 4,
    });
    expect(parseDeployment("Deployed AKfycbx_1-2 @HEAD\n")).toEqual({
      deploymentId: "AKfycbx_1-2",
      versionNumber: undefined,
    });
  });

  it.each([
    ["an empty answer", ""],
    ["no deploymentId", pretty({ versionNumber: 4 })],
    ["an empty deploymentId", pretty({ deploymentId: "", versionNumber: 4 })],
    ["a deploymentId with markup", pretty({ deploymentId: "<b>AKfy</b>", versionNumber: 4 })],
    ["a deploymentId of 60,000 characters", pretty({ deploymentId: "A".repeat(60_000), versionNumber: 4 })],
    ["a deploymentId that is a number", pretty({ deploymentId: 4, versionNumber: 4 })],
    ["a bad version", pretty({ deploymentId: "AKfy", versionNumber: "4" })],
    ["a text form with markup", "Deployed <script> @4"],
  ])("reads no deployment from %s", (_, answer) => {
    expect(parseDeployment(answer)).toBeUndefined();
  });
});

describe("parsePushedFiles", () => {
  it("reads push --json: the files pushed, or none when the project was up to date", () => {
    expect(parsePushedFiles(`${pretty(["dist/Code.js", "dist/appsscript.json"])}\n`)).toEqual([
      "dist/Code.js",
      "dist/appsscript.json",
    ]);
    expect(parsePushedFiles("[]\n")).toEqual([]);
    expect(
      parsePushedFiles(`Security Warning: Skipping symbolic link x\n${pretty(["dist/Code.js"])}`),
    ).toEqual(["dist/Code.js"]);
  });

  it.each([
    ["nothing (clasp refused its command line and exited with 0)", ""],
    ["the plain-text form, which --json never prints", "Pushed 2 files at 10:15:00."],
    ["a list of other things", pretty([{ file: "dist/Code.js" }])],
    ["an object", pretty({ files: ["dist/Code.js"] })],
    ["60,000 characters", `[${'"x",'.repeat(30_000)}"x"]`],
  ])("reads no files from %s", (_, answer) => {
    expect(parsePushedFiles(answer)).toBeUndefined();
  });
});
