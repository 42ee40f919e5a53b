// The build as `npm start` and `npm run playground` run it: after their own checks (so a missing file is
// refused before anything is built), and without the build's list of entry functions, which means nothing
// to someone trying the add-on.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const repoRoot = join(import.meta.dirname, "..");

/** Builds dist/ as `npm run build` does, printing one line; throws when the build fails. */
export function buildQuietly(): void {
  console.log("Building the add-on (dist/Code.js)…");
  const built = spawnSync(process.execPath, [join(repoRoot, "scripts/build.mjs"), "--quiet"], {
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error("The build failed: see the messages above.");
}
