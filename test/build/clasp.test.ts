// clasp would push exactly the files of dist/ (rootDir): checked offline, since `clasp status` needs no login.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

describe(".clasp.json", () => {
  it("names dist as rootDir and holds nobody's real script id", () => {
    const config = JSON.parse(readFileSync(join(root, ".clasp.json"), "utf8"));
    expect(config.rootDir).toBe("dist");
    expect(config.scriptId).toBe("REPLACE_WITH_YOUR_SCRIPT_ID");
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
