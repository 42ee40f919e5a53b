// Recorded fakes of npm and clasp for the release test (scripts/release.ts runs them through RELEASE_NPM and
// RELEASE_CLASP): each appends its command line and folder to a log and answers as the real one would. The fake
// clasp prints what clasp 3.4.1 prints with --json (its commands/push.js, create-version.js, create-deployment.js);
// the fake npm "builds" dist/ the way npm test does before its tests. Environment variables pick a failure or an
// answer; "push-refused" is clasp refusing its command line, which it does with exit code 0.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const FAKE_DEPLOYMENT_ID = "AKfycbzFakeDeployment-0123456789_abcdefghijklmnopqrstuvwxyz";
export const FAKE_VERSION = 7;

export interface Recorded {
  program: "npm" | "clasp";
  args: string[];
  cwd: string;
}

const FAKE = `#!/usr/bin/env node
// A recorded fake (test/build/release-fakes.ts).
const { appendFileSync, copyFileSync, mkdirSync, writeFileSync } = require("node:fs");
const program = require("node:path").basename(process.argv[1]);
const args = process.argv.slice(2);
appendFileSync(process.env.FAKE_LOG, JSON.stringify({ program, args, cwd: process.cwd() }) + "\\n");
const fail = (process.env.FAKE_FAIL || "").split(",");
if (fail.includes(program + " " + args[0])) {
  console.error(program + " " + args[0] + ": fake failure");
  process.exit(1);
}
if (program === "npm") {
  if (process.env.FAKE_NPM_BUILDS !== "no") {
    mkdirSync("dist", { recursive: true });
    writeFileSync("dist/Code.js", "// built\\n");
    copyFileSync("appsscript.json", "dist/appsscript.json");
  }
  console.log("all checks passed");
  process.exit(0);
}
const answer = process.env.FAKE_ANSWER || "json";
const option = (name) => { const at = args.indexOf(name); return at === -1 ? undefined : args[at + 1]; };
if (args[0] === "push") {
  if (answer === "push-refused") console.error("error: unknown option '--force'");
  else console.log(JSON.stringify(["dist/Code.js", "dist/appsscript.json"], null, 2));
} else if (args[0] === "create-version") {
  if (answer === "garbage") console.log("<html>Service Unavailable</html>");
  else if (answer === "text") console.log("Created version ${FAKE_VERSION}");
  else console.log(JSON.stringify({ versionNumber: ${FAKE_VERSION} }, null, 2));
} else if (args[0] === "create-deployment") {
  const versionNumber = answer === "other-version" ? 3 : Number(option("--versionNumber"));
  const deploymentId = option("--deploymentId") || "${FAKE_DEPLOYMENT_ID}";
  if (answer === "text") console.log("Deployed " + deploymentId + " @" + versionNumber);
  else console.log(JSON.stringify({ deploymentId, versionNumber, description: option("--description") }, null, 2));
}
`;

/** Writes the fakes into `dir` and returns their paths and the log they append to. */
export function writeFakes(dir: string): { npm: string; clasp: string; log: string } {
  const paths = { npm: join(dir, "npm"), clasp: join(dir, "clasp"), log: join(dir, "commands.log") };
  for (const path of [paths.npm, paths.clasp]) {
    writeFileSync(path, FAKE);
    chmodSync(path, 0o755);
  }
  writeFileSync(paths.log, "");
  return paths;
}

export function readLog(log: string): Recorded[] {
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Recorded);
}

/** The clasp command lines a release runs, in order. */
export function releaseClaspCommands(description: string, deploymentId?: string): string[][] {
  return [
    ["push", "--force", "--json"],
    ["create-version", "--json", description],
    [
      "create-deployment",
      "--json",
      "--versionNumber",
      String(FAKE_VERSION),
      "--description",
      description,
      ...(deploymentId ? ["--deploymentId", deploymentId] : []),
    ],
  ];
}
