// What `npm run release` reads from clasp 3.4.1's answers: the files `push --json` pushed, the version number
// `create-version --json` prints and the deployment `create-deployment --json` prints (its commands/push.js,
// create-version.js and create-deployment.js), or the last two's plain-text forms ("Created version 7",
// "Deployed AKfy… @7") should a later clasp drop --json. Anything else is no answer, and an answer is needed even
// after exit code 0: clasp 3.4.1 exits with 0 when it refuses its command line (an unknown option), having done
// nothing. The release then stops rather than guess what exists, and says which clasp commands show what was
// made (the hints below; test/build/clasp-commands.test.ts checks them against clasp's own help).

/** Longer than any answer clasp gives; a larger one is not read at all. */
const MAX_ANSWER_CHARS = 100_000;
/** Apps Script deployment ids are URL-safe base64 ("AKfycb…"); anything else is not one. */
const DEPLOYMENT_ID = /^[A-Za-z0-9_-]{1,200}$/;

export interface Deployment {
  deploymentId: string;
  /** Missing when clasp reports a deployment of the project's head (`@HEAD`). */
  versionNumber: number | undefined;
}

const isVersionNumber = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 1;

/**
 * The last JSON value of the kind `open` starts that clasp printed. Other lines may come before it (a warning),
 * and a pretty-printed value starts at the beginning of a line, so only line starts are tried.
 */
function lastJson(text: string, open: "{" | "["): unknown {
  const starts: number[] = [];
  for (let index = text.indexOf(open); index !== -1; index = text.indexOf(open, index + 1)) {
    if (index === 0 || text[index - 1] === "\n") starts.push(index);
  }
  for (const start of starts.reverse().slice(0, 50)) {
    try {
      return JSON.parse(text.slice(start)) as unknown;
    } catch {
      // Not JSON from here: try an earlier line.
    }
  }
  return undefined;
}

function lastJsonObject(text: string): Record<string, unknown> | undefined {
  const value = lastJson(text, "{");
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The files `clasp push --json` pushed (none when the project was up to date), or undefined for no answer. */
export function parsePushedFiles(stdout: string): string[] | undefined {
  if (stdout.length > MAX_ANSWER_CHARS) return undefined;
  const value = lastJson(stdout, "[");
  return Array.isArray(value) && value.every((file) => typeof file === "string") ? value : undefined;
}

/** The version `clasp create-version` created, or undefined when its answer does not say one. */
export function parseVersionNumber(stdout: string): number | undefined {
  if (stdout.length > MAX_ANSWER_CHARS) return undefined;
  const json = lastJsonObject(stdout);
  if (json) return isVersionNumber(json.versionNumber) ? json.versionNumber : undefined;
  const text = /^Created version (\d{1,15})\s*$/m.exec(stdout);
  const number = text ? Number(text[1]) : undefined;
  return isVersionNumber(number) ? number : undefined;
}

/** The deployment `clasp create-deployment` created or moved, or undefined when its answer does not say one. */
export function parseDeployment(stdout: string): Deployment | undefined {
  if (stdout.length > MAX_ANSWER_CHARS) return undefined;
  const json = lastJsonObject(stdout);
  if (json) {
    const { deploymentId, versionNumber } = json;
    if (typeof deploymentId !== "string" || !DEPLOYMENT_ID.test(deploymentId)) return undefined;
    if (versionNumber !== undefined && !isVersionNumber(versionNumber)) return undefined;
    return { deploymentId, versionNumber };
  }
  const text = /^Deployed (\S+) @(HEAD|\d{1,15})\s*$/m.exec(stdout);
  if (!text?.[1] || !text[2] || !DEPLOYMENT_ID.test(text[1])) return undefined;
  if (text[2] === "HEAD") return { deploymentId: text[1], versionNumber: undefined };
  const versionNumber = Number(text[2]);
  return isVersionNumber(versionNumber) ? { deploymentId: text[1], versionNumber } : undefined;
}

/** When create-version gave no readable answer: a version may exist all the same. */
export const noVersionHint = (): string =>
  "clasp create-version gave no version number. A version may have been made all the same: `npx clasp list-versions` shows them; run npm run release again to make a new one.";

/** When the version exists but its deployment is not confirmed. */
export const noDeploymentHint = (versionNumber: number, description: string): string =>
  `Version ${versionNumber} exists but may have no deployment: \`npx clasp list-deployments\` shows them, and \`npx clasp create-deployment --versionNumber ${versionNumber} --description "${description}"\` makes one.`;
