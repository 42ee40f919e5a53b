// Every clasp command this repository tells someone to run, checked against the pinned clasp's own help (run
// offline: `clasp --help` and `clasp <command> --help` need no Google account): the commands in docs/install.md
// README.md and docs/engineering.md, those of package.json's scripts, the ones npm run release runs, and the ones its messages
// suggest when it stops. Also the two behaviours of clasp that the guide's bound-script path and the release's
// reading of answers depend on.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { noDeploymentHint, noVersionHint } from "../../scripts/release-clasp.js";
import {
  CLASP,
  type ClaspHelp,
  checkCommandLine,
  claspCommandsIn,
  claspCommandsInMarkdown,
  readClaspHelp,
} from "./clasp-help.js";
import { releaseClaspCommands } from "./release-fakes.js";

const root = join(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

const written: Record<string, string[][]> = {
  "docs/install.md": claspCommandsInMarkdown(read("docs/install.md")),
  "README.md": claspCommandsInMarkdown(read("README.md")),
  "docs/engineering.md": claspCommandsInMarkdown(read("docs/engineering.md")),
  "package.json scripts": Object.values(scripts).flatMap(claspCommandsIn),
  "npm run release": [
    ...releaseClaspCommands("Extend Sync 1.0.0"),
    ...releaseClaspCommands("Quarter close", "AKfycbxDeployment"),
  ],
  "npm run release's messages": claspCommandsInMarkdown(
    `${noVersionHint()}\n${noDeploymentHint(7, "Extend Sync 1.0.0")}`,
  ),
};

let help: ClaspHelp;
beforeAll(async () => {
  help = await readClaspHelp([
    ...Object.values(written).flat(),
    // The refusals checked below use these commands' options.
    ["create-script", "--title"],
    ["create-deployment", "--versionNumber"],
  ]);
}, 240_000);

describe("clasp commands written in the repository", () => {
  it("finds the guide's commands (so that the checks below check something)", () => {
    const guide = (written["docs/install.md"] ?? []).map((line) => line[0]);
    for (const command of ["login", "show-authorized-user", "create-script", "open-script"]) {
      expect(guide).toContain(command);
    }
    expect(written["README.md"]?.length).toBeGreaterThan(0);
    expect(written["docs/engineering.md"]?.map((line) => line[0])).toEqual(
      expect.arrayContaining(["login", "create-script", "open-script"]),
    );
    expect(written["package.json scripts"]).toContainEqual(["push", "--force"]);
    expect(written["npm run release's messages"]?.map((line) => line[0])).toEqual([
      "list-versions",
      "list-deployments",
      "create-deployment",
    ]);
  });

  it.each(Object.keys(written))("%s: every clasp command is one the pinned clasp takes", (source) => {
    const problems = (written[source] ?? []).map((line) => checkCommandLine(help, line)).filter(Boolean);
    expect(problems).toEqual([]);
  });

  it("the check refuses what clasp would refuse", () => {
    expect(checkCommandLine(help, ["create-script", "--parentID", "x"])).toMatch(/no option --parentID/);
    expect(checkCommandLine(help, ["create-deployment", "--versionNumber"])).toMatch(/needs a value/);
    expect(checkCommandLine(help, ["deploy-version"])).toMatch(/no command deploy-version/);
    expect(checkCommandLine(help, ["create-version", "one", "two"])).toMatch(/too many arguments/);
    expect(checkCommandLine(help, ["push", "--force"])).toBeUndefined();
    expect(checkCommandLine(help, ["--json", "create-version", "text"])).toBeUndefined();
  });
});

describe("clasp 3.4.1's create-script", () => {
  // docs/install.md binds the project to an existing spreadsheet with --parentId and no --type: clasp passes
  // --parentId to the Apps Script API only for the standalone types, and for --type sheets makes a new
  // spreadsheet instead. Should an upgrade change that, this fails and the guide's path 1 needs a new look.
  const source = read("node_modules/@google/clasp/build/src/commands/create-script.js");

  it("is the pinned version", () => {
    expect(JSON.parse(read("node_modules/@google/clasp/package.json")).version).toBe("3.4.1");
  });

  it("binds to --parentId only for the standalone types", () => {
    expect(source).toMatch(/STANDALONE_SCRIPT_TYPES = new Set\(\['standalone', 'webapp', 'api'\]\)/);
    expect(source).toMatch(/createWithContainer\(name, mimeType\)/);
    expect(source).toMatch(/createScript\(name, parentId\)/);
  });

  it("is used that way in the guide: --parentId with no --type but standalone", () => {
    const binding = (written["docs/install.md"] ?? []).filter((line) => line.includes("--parentId"));
    expect(binding).toEqual([["create-script", "--parentId", "<spreadsheet id>", "--title", "Extend Sync"]]);
  });
});

describe("clasp 3.4.1's exit code", () => {
  // Why npm run release asks every clasp step for a --json answer instead of trusting exit code 0.
  it("is 0 when clasp refuses its command line and does nothing", () => {
    const home = mkdtempSync(join(tmpdir(), "clasp-exit-"));
    try {
      const result = spawnSync(CLASP, ["push", "--forse"], {
        cwd: home,
        env: { ...process.env, HOME: home },
        encoding: "utf8",
      });
      expect(result.stderr).toContain("unknown option '--forse'");
      expect(result.status).toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
