// `npm run release [-- --description TEXT] [--deployment-id ID]`: a release of the add-on for the Google
// Workspace Marketplace (docs/install.md, "The whole domain"). In the project of the current directory (npm run
// starts it at the repository root) it runs `npm test` (lint, type-check, build, every test: dist/ is built before
// the tests run, so what is pushed is exactly what was tested), then with the pinned clasp `push --force`,
// `create-version` and `create-deployment`, and prints the script id, version number and deployment id that the
// Marketplace SDK asks for. Any step that fails stops the release, and nothing after it runs; each clasp step
// must also answer (--json) what it did, since clasp exits with 0 when it refuses its command line.
//
// It refuses a .clasp.json that still holds the placeholder script id (or none), or that pushes anything but dist/.
// --deployment-id moves that existing deployment to the new version instead of creating another deployment, as
// Google advises for updates of a published add-on (a new deployment gets a new id).
//
// Two environment variables name the programs it runs, so that test/build/release.test.ts can put recorded fakes
// in their place (a test can neither run the whole suite inside itself nor reach Google):
//   RELEASE_NPM    the npm that runs `npm test` (default: npm on the PATH)
//   RELEASE_CLASP  the clasp program (default: this repository's pinned node_modules/.bin/clasp)
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual, parseArgs } from "node:util";
import {
  type Deployment,
  noDeploymentHint,
  noVersionHint,
  parseDeployment,
  parsePushedFiles,
  parseVersionNumber,
} from "./release-clasp.js";

const repoRoot = join(import.meta.dirname, "..");
const PLACEHOLDER_SCRIPT_ID = "REPLACE_WITH_YOUR_SCRIPT_ID";
/** Apps Script script ids are long URL-safe base64 strings. */
const SCRIPT_ID = /^[A-Za-z0-9_-]{20,200}$/;

class ReleaseStopped extends Error {}

interface Options {
  description: string;
  deploymentId: string | undefined;
}

function readOptions(): Options {
  let values: { description?: string | undefined; "deployment-id"?: string | undefined };
  try {
    ({ values } = parseArgs({
      options: { description: { type: "string" }, "deployment-id": { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    throw new ReleaseStopped(
      `${error instanceof Error ? error.message : String(error)}. Usage: npm run release -- [--description TEXT] [--deployment-id ID]`,
    );
  }
  const version = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string })
    .version;
  const description = (values.description ?? `Extend Sync ${version}`).trim();
  if (description === "" || description.startsWith("-")) {
    throw new ReleaseStopped("--description needs a text that does not start with '-'.");
  }
  const deploymentId = values["deployment-id"];
  if (deploymentId !== undefined && !/^[A-Za-z0-9_-]{1,200}$/.test(deploymentId)) {
    throw new ReleaseStopped(
      "--deployment-id is not a deployment id (letters, digits, '-' and '_'): copy it from Deploy > Manage deployments.",
    );
  }
  return { description, deploymentId };
}

/** The script id of .clasp.json, after checking that it names a real project and pushes dist/. */
function readScriptId(): string {
  if (!existsSync(".clasp.json")) {
    throw new ReleaseStopped(
      "There is no .clasp.json here: run npm run release from the repository's folder.",
    );
  }
  let settings: { scriptId?: unknown; rootDir?: unknown };
  try {
    settings = JSON.parse(readFileSync(".clasp.json", "utf8")) as typeof settings;
  } catch {
    throw new ReleaseStopped(
      ".clasp.json is not valid JSON: keep it as committed, with only the script id changed.",
    );
  }
  const { scriptId, rootDir } = settings;
  if (scriptId === undefined || scriptId === "" || scriptId === PLACEHOLDER_SCRIPT_ID) {
    throw new ReleaseStopped(
      `.clasp.json still holds the placeholder script id. Put your Apps Script project's script id in place of ${PLACEHOLDER_SCRIPT_ID} (docs/install.md says where to find it), then run npm run release again.`,
    );
  }
  if (typeof scriptId !== "string" || !SCRIPT_ID.test(scriptId)) {
    throw new ReleaseStopped(
      ".clasp.json's scriptId is not a script id: copy it from the project's Project Settings > IDs.",
    );
  }
  if (rootDir !== "dist") {
    throw new ReleaseStopped(
      '.clasp.json must keep "rootDir": "dist", so that only the built add-on is pushed.',
    );
  }
  return scriptId;
}

/** Runs one step with its output shown; `capture` also returns what it printed, for the answers to read. */
function step(name: string, program: string, args: string[], capture = false): string {
  console.log(`\n> ${name}`);
  const result = spawnSync(program, args, {
    stdio: ["inherit", capture ? "pipe" : "inherit", "inherit"],
    encoding: "utf8",
    maxBuffer: 10 * 1024 * 1024,
  });
  if (capture && result.stdout) process.stdout.write(result.stdout);
  if (result.error) throw new ReleaseStopped(`${name} could not start: ${result.error.message}.`);
  if (result.status !== 0) {
    throw new ReleaseStopped(
      `${name} failed (${result.status === null ? `stopped by ${result.signal}` : `exit code ${result.status}`}).`,
    );
  }
  return result.stdout ?? "";
}

/** npm test builds dist/; a push of anything older or of another manifest would not be what was tested. */
function checkBuilt(startedAt: number): void {
  const code = join("dist", "Code.js");
  if (!existsSync(code) || statSync(code).mtimeMs < startedAt) {
    throw new ReleaseStopped("npm test passed but did not build dist/Code.js: nothing was pushed.");
  }
  const built = join("dist", "appsscript.json");
  const manifest = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));
  if (!existsSync(built) || !isDeepStrictEqual(manifest(built), manifest("appsscript.json"))) {
    throw new ReleaseStopped("dist/appsscript.json is not appsscript.json: nothing was pushed.");
  }
}

function release(): void {
  const startedAt = Date.now() - 1_000;
  const options = readOptions();
  const scriptId = readScriptId();
  const npm = process.env.RELEASE_NPM ?? "npm";
  const clasp = process.env.RELEASE_CLASP ?? join(repoRoot, "node_modules", ".bin", "clasp");
  console.log(`Releasing "${options.description}" to the Apps Script project ${scriptId}.`);

  step("npm test (lint, type-check, build, every test)", npm, ["test"]);
  checkBuilt(startedAt);
  const pushed = parsePushedFiles(
    step(
      "clasp push --force (dist/ replaces the project's files)",
      clasp,
      ["push", "--force", "--json"],
      true,
    ),
  );
  if (!pushed) {
    throw new ReleaseStopped(
      "clasp push gave no list of the files it pushed, so the project may still hold other files: nothing was versioned.",
    );
  }
  console.log(
    pushed.length === 0 ? "The project already held these files." : `Pushed ${pushed.length} files.`,
  );

  const versionAnswer = step(
    "clasp create-version",
    clasp,
    ["create-version", "--json", options.description],
    true,
  );
  const versionNumber = parseVersionNumber(versionAnswer);
  if (versionNumber === undefined) {
    throw new ReleaseStopped(noVersionHint());
  }

  const deployArgs = [
    "create-deployment",
    "--json",
    "--versionNumber",
    String(versionNumber),
    "--description",
    options.description,
    ...(options.deploymentId ? ["--deploymentId", options.deploymentId] : []),
  ];
  const notDeployed = noDeploymentHint(versionNumber, options.description);
  let deployment: Deployment | undefined;
  try {
    deployment = parseDeployment(step("clasp create-deployment", clasp, deployArgs, true));
  } catch (error) {
    throw new ReleaseStopped(`${error instanceof Error ? error.message : String(error)} ${notDeployed}`);
  }
  if (
    !deployment ||
    deployment.versionNumber !== versionNumber ||
    (options.deploymentId !== undefined && deployment.deploymentId !== options.deploymentId)
  ) {
    throw new ReleaseStopped(
      `clasp create-deployment did not confirm version ${versionNumber}. ${notDeployed}`,
    );
  }

  console.log(
    [
      "",
      "Released. The Google Workspace Marketplace SDK's App Configuration asks for these (docs/install.md):",
      `  Script ID:      ${scriptId}`,
      `  Version:        ${versionNumber}`,
      `  Deployment ID:  ${deployment.deploymentId}`,
      `Enter the script ID and version ${versionNumber} under the Sheets add-on integration and save: the domain then gets version ${versionNumber}.`,
    ].join("\n"),
  );
}

try {
  release();
} catch (error) {
  if (!(error instanceof ReleaseStopped)) throw error;
  console.error(`\nRelease stopped: ${error.message}`);
  process.exitCode = 1;
}
