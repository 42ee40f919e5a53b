// Every link of the repository's Markdown resolves: each relative link and image names a file or folder of the
// repository, each #anchor a heading or an explicit id of its target, and each web address is a well-formed
// https one (nothing is fetched). The checker itself is checked on documents with broken links. And the README
// starts with the product: the picture, the two commands and the guides on its first screen.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { anchorsOf, brokenLinks, githubSlug, linksOf, type Repository } from "./markdown-links.js";

const root = join(import.meta.dirname, "../..");

/** The repository's files as git sees them (committed, or new and not ignored), and the folders that hold them. */
function repositoryOnDisk(): { repository: Repository; markdown: string[] } {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\0")
    .filter((file) => file !== "");
  const fileSet = new Set(files);
  const folders = new Set(
    files.flatMap((file) =>
      file
        .split("/")
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join("/")),
    ),
  );
  return {
    markdown: files.filter((file) => file.endsWith(".md")),
    repository: {
      read: (path) => readFileSync(join(root, path), "utf8"),
      kind: (path) => {
        const bare = path.replace(/\/$/, "");
        return fileSet.has(bare) ? "file" : folders.has(bare) ? "folder" : undefined;
      },
    },
  };
}

/** A repository made of the given texts (and of `others`, files that are not Markdown). */
function repositoryOf(texts: Record<string, string>, others: string[] = []): Repository {
  const files = new Set([...Object.keys(texts), ...others]);
  return {
    read: (path) => texts[path] ?? "",
    kind: (path) =>
      files.has(path)
        ? "file"
        : [...files].some((file) => file.startsWith(`${path.replace(/\/$/, "")}/`))
          ? "folder"
          : undefined,
  };
}

describe("the repository's Markdown", () => {
  const { repository, markdown } = repositoryOnDisk();

  it("covers the README, the guides, the listing and every README under src/ and dev/", () => {
    for (const file of [
      "README.md",
      "docs/user-guide.md",
      "docs/engineering.md",
      "docs/install.md",
      "listing/README.md",
      "dev/gas-host/README.md",
    ])
      expect(markdown).toContain(file);
    expect(markdown.filter((file) => file.startsWith("docs/platform/")).length).toBeGreaterThan(0);
    expect(markdown.some((file) => file.startsWith("node_modules/"))).toBe(false);
  });

  it("has no broken link, anchor or image", () => {
    expect(brokenLinks(repository, markdown)).toEqual([]);
  });

  it("is checked link by link (so that the check above checks something)", () => {
    const links = markdown.flatMap((file) => linksOf(repository.read(file)));
    expect(links.filter((link) => link.image).length).toBeGreaterThan(10);
    expect(links.filter((link) => link.target.includes("#error-")).length).toBeGreaterThan(3);
    expect(links.filter((link) => link.target.startsWith("https://")).length).toBeGreaterThan(10);
  });
});

describe("README.md", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const firstScreen = readme.split("\n").slice(0, 40).join("\n");

  it("shows the picture, the two commands and the guides in its first 40 lines", () => {
    expect(linksOf(firstScreen).filter((link) => link.image)).toHaveLength(1);
    expect(firstScreen).toMatch(/^npm ci && npm start\b/m);
    expect(firstScreen).toMatch(/^npm ci && npm test\b/m);
    for (const guide of ["docs/user-guide.md", "docs/engineering.md", "docs/install.md"])
      expect(linksOf(firstScreen).map((link) => link.target.split("#")[0])).toContain(guide);
  });

  it("stays short: the rest lives in the guides", () => {
    expect(readme.split("\n").length).toBeLessThan(120);
  });
});

describe("the checker", () => {
  it("slugs headings as GitHub does", () => {
    expect(githubSlug("Tags: replace, add or remove")).toBe("tags-replace-add-or-remove");
    expect(githubSlug("The menu: Extensions > Extend Sync")).toBe("the-menu-extensions--extend-sync");
    expect(githubSlug("Long syncs, unchanged rows, and the run log")).toBe(
      "long-syncs-unchanged-rows-and-the-run-log",
    );
    expect(githubSlug("1. One shared spreadsheet")).toBe("1-one-shared-spreadsheet");
    expect(githubSlug("The clock (`GasHostOptions.clock`, `host.clock`)")).toBe(
      "the-clock-gashostoptionsclock-hostclock",
    );
    expect(githubSlug("§1.2 Official daily quotas [Q]")).toBe("12-official-daily-quotas-q");
    expect(githubSlug("_Check rows_ and `run_id`")).toBe("check-rows-and-run_id");
    expect(githubSlug("A [linked](x.md) **bold** heading")).toBe("a-linked-bold-heading");
  });

  it("numbers repeated headings and reads explicit ids, setext headings and nothing in code", () => {
    const anchors = anchorsOf(
      [
        "# Setup",
        "## Setup",
        "Intro",
        "=====",
        "",
        'A row <a id="error-bad-response"></a> and <span name="other">.',
        "```md",
        "# Not a heading",
        '<a id="not-an-id"></a>',
        "```",
        '`<a id="neither"></a>`',
      ].join("\n"),
    );
    expect([...anchors].sort()).toEqual(["error-bad-response", "intro", "other", "setup", "setup-1"]);
  });

  it("finds each kind of broken link, and nothing in code", () => {
    const texts = {
      "README.md": [
        "# Title",
        "[ok](docs/guide.md#errors) [ok too](docs/guide.md#error-x) [here](#title) [folder](docs/)",
        "[missing file](docs/nope.md) [missing anchor](docs/guide.md#nope) [self](#nope)",
        "![missing picture](docs/missing.png) ![picture](docs/shot.png)",
        '<img src="docs/gone.png" alt=""> <a href="docs/guide.md#errors">ok</a>',
        "[web](https://example.com/page) [plain http](http://example.com) [bad](https://) <https://example.org>",
        "[outside](../elsewhere/notes.md) [root](/docs/guide.md) [line](src/a.ts#L3) [anchor in code](src/a.ts#x)",
        "[ref link][guide] and [broken ref][gone], reported where [gone] is defined",
        "",
        "[guide]: docs/guide.md#errors",
        "[gone]: docs/gone.md",
        "",
        "`[in code](docs/none.md)` and",
        "```",
        "[in a block](docs/none.md) ![x](none.png)",
        "```",
        "<!-- [in a comment](docs/none.md) -->",
        "Also at http://example.com/bare and https://example.com/fine.",
      ].join("\n"),
      "docs/guide.md": '# Guide\n\n## Errors\n\n| <a id="error-x"></a>`X` | x |\n',
    };
    const problems = brokenLinks(repositoryOf(texts, ["docs/shot.png", "src/a.ts"]), ["README.md"]);
    expect(problems).toEqual([
      "README.md:3: link docs/nope.md names no file of the repository (docs/nope.md)",
      "README.md:3: link docs/guide.md#nope names no heading or id of docs/guide.md",
      "README.md:3: link #nope names no heading or id of README.md",
      "README.md:4: image docs/missing.png names no file of the repository (docs/missing.png)",
      "README.md:5: image docs/gone.png names no file of the repository (docs/gone.png)",
      "README.md:6: link http://example.com is not an https address",
      "README.md:6: link https:// is not a well-formed address",
      "README.md:7: link ../elsewhere/notes.md points outside the repository",
      "README.md:7: link src/a.ts#x has an anchor in a file that has none",
      "README.md:11: link docs/gone.md names no file of the repository (docs/gone.md)",
      "README.md:18: link http://example.com/bare is not an https address",
    ]);
  });
});
