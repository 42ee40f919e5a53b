// clasp would push exactly the files of dist/ (rootDir): checked offline, since `clasp status` needs no login.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

describe(".clasp.json", () => {
  it("names dist as rootDir", () => {
    expect(JSON.parse(readFileSync(join(root, ".clasp.json"), "utf8")).rootDir).toBe("dist");
  });

  it("is committed with nobody's real script id (a deployer's own id stays a local edit)", () => {
    const committed = execFileSync("git", ["show", "HEAD:.clasp.json"], { cwd: root, encoding: "utf8" });
    expect(JSON.parse(committed)).toEqual({ scriptId: "REPLACE_WITH_YOUR_SCRIPT_ID", rootDir: "dist" });
  });

  it("makes clasp push exactly the built files", () => {
    const output = execFileSync(join(root, "node_modules/.bin/clasp"), ["status", "--json"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, HOME: join(root, "dist") },
    });
    const status = JSON.parse(output.slice(output.indexOf("{")));
    const built = readdirSync(join(root, "dist")).map((file) => `dist/${file}`);
    expect([...status.filesToPush].sort()).toEqual(built.sort());
  });
});
