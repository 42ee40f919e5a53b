// npm run release, run for real (scripts/release.ts through tsx) in a copy of the project's settings, with
// recorded fakes of npm and clasp in place of the real ones (test/build/release-fakes.ts): the exact command
// sequence, the ids it prints, and where it stops when a step fails or an answer cannot be read.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  FAKE_DEPLOYMENT_ID,
  FAKE_VERSION,
  type Recorded,
  readLog,
  releaseClaspCommands,
  writeFakes,
} from "./release-fakes.js";

const root = join(import.meta.dirname, "../..");
const TSX = join(root, "node_modules/.bin/tsx");
const SCRIPT_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz_0123456789-abcdefghijklmnopqrs";
const { version } = JSON.parse(
  spawnSync("git", ["show", "HEAD:package.json"], { cwd: root, encoding: "utf8" }).stdout,
) as { version: string };
const DEFAULT_DESCRIPTION = `Extend Sync ${version}`;

let project: string;
let fakes: ReturnType<typeof writeFakes>;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), "release-"));
  fakes = writeFakes(project);
  copyFileSync(join(root, "appsscript.json"), join(project, "appsscript.json"));
  writeClaspJson({ scriptId: SCRIPT_ID, rootDir: "dist" });
});
afterEach(() => {
  rmSync(project, { recursive: true, force: true });
});

function writeClaspJson(settings: object): void {
  writeFileSync(join(project, ".clasp.json"), JSON.stringify(settings));
}

function release(args: string[] = [], env: Record<string, string> = {}) {
  const result = spawnSync(TSX, [join(root, "scripts/release.ts"), ...args], {
    cwd: project,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, RELEASE_NPM: fakes.npm, RELEASE_CLASP: fakes.clasp, FAKE_LOG: fakes.log, ...env },
  });
  const log = readLog(fakes.log);
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    npm: log.filter((entry) => entry.program === "npm").map((entry) => entry.args),
    clasp: log.filter((entry) => entry.program === "clasp").map((entry) => entry.args),
    log,
  };
}

const inProject = (log: Recorded[]) => log.every((entry) => entry.cwd === project);

describe("npm run release", () => {
  it("runs npm test, then clasp push, create-version and create-deployment, and prints the three ids", () => {
    const result = release();
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.log.map((entry) => entry.program)).toEqual(["npm", "clasp", "clasp", "clasp"]);
    expect(result.npm).toEqual([["test"]]);
    expect(result.clasp).toEqual(releaseClaspCommands(DEFAULT_DESCRIPTION));
    expect(inProject(result.log)).toBe(true);
    expect(result.stdout).toMatch(new RegExp(`Script ID: +${SCRIPT_ID}\\n`));
    expect(result.stdout).toMatch(new RegExp(`Version: +${FAKE_VERSION}\\n`));
    expect(result.stdout).toMatch(new RegExp(`Deployment ID: +${FAKE_DEPLOYMENT_ID}\\n`));
  });

  it("takes a description, and moves an existing deployment to the new version", () => {
    const existing = "AKfycbyExistingDeployment_9876543210";
    const result = release(["--description", "Quarter close fixes", "--deployment-id", existing]);
    expect(result.status).toBe(0);
    expect(result.clasp).toEqual(releaseClaspCommands("Quarter close fixes", existing));
    expect(result.stdout).toMatch(new RegExp(`Deployment ID: +${existing}\\n`));
  });

  it("refuses the committed .clasp.json (the placeholder script id) before running anything", () => {
    const committed = spawnSync("git", ["show", "HEAD:.clasp.json"], { cwd: root, encoding: "utf8" }).stdout;
    writeFileSync(join(project, ".clasp.json"), committed);
    const result = release();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(".clasp.json still holds the placeholder script id");
    expect(result.log).toEqual([]);
  });

  it.each([
    ["no script id", { rootDir: "dist" }, "placeholder script id"],
    ["a script id that is not one", { scriptId: "my project", rootDir: "dist" }, "is not a script id"],
    ["another rootDir", { scriptId: SCRIPT_ID, rootDir: "." }, '"rootDir": "dist"'],
  ])("refuses a .clasp.json with %s", (_, settings, message) => {
    writeClaspJson(settings);
    const result = release();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.log).toEqual([]);
  });

  it("pushes nothing when npm test fails", () => {
    const result = release([], { FAKE_FAIL: "npm test" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("npm test (lint, type-check, build, every test) failed (exit code 1)");
    expect(result.clasp).toEqual([]);
  });

  it("pushes nothing when npm test built nothing", () => {
    const result = release([], { FAKE_NPM_BUILDS: "no" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("did not build dist/Code.js");
    expect(result.clasp).toEqual([]);
  });

  it("makes no version when the push fails", () => {
    const result = release([], { FAKE_FAIL: "clasp push" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "clasp push --force (dist/ replaces the project's files) failed (exit code 1)",
    );
    expect(result.clasp).toEqual([["push", "--force", "--json"]]);
  });

  it("makes no version when clasp refuses the push with exit code 0, as clasp 3.4.1 does", () => {
    const result = release([], { FAKE_ANSWER: "push-refused" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("clasp push gave no list of the files it pushed");
    expect(result.clasp).toEqual([["push", "--force", "--json"]]);
  });

  it("makes no deployment when create-version's answer says no version, and says how to look", () => {
    const result = release([], { FAKE_ANSWER: "garbage" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("`npx clasp list-versions` shows them");
    expect(result.clasp).toEqual(releaseClaspCommands(DEFAULT_DESCRIPTION).slice(0, 2));
    expect(result.stdout).not.toContain("Released.");
  });

  it("names the version left without a deployment when create-deployment fails", () => {
    const result = release([], { FAKE_FAIL: "clasp create-deployment" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Version ${FAKE_VERSION} exists but may have no deployment`);
    expect(result.stderr).toContain(
      `\`npx clasp create-deployment --versionNumber ${FAKE_VERSION} --description`,
    );
    expect(result.clasp).toEqual(releaseClaspCommands(DEFAULT_DESCRIPTION));
    expect(result.stdout).not.toContain("Released.");
  });

  it("does not report a deployment of another version as released", () => {
    const result = release([], { FAKE_ANSWER: "other-version" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`did not confirm version ${FAKE_VERSION}`);
    expect(result.stdout).not.toContain("Released.");
  });

  it("refuses an unknown option or a description that reads as one", () => {
    for (const args of [
      ["--version-number", "3"],
      ["--description", "--force"],
    ]) {
      const result = release(args);
      expect(result.status).toBe(1);
      expect(result.log).toEqual([]);
    }
  });
});
