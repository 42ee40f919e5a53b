// A small Markdown link checker for the repository's own documents, without a Markdown library: it finds the
// links and images of a file (inline, reference-style, autolinks and HTML `href`/`src`), outside fenced code
// blocks, inline code and HTML comments, and the anchors each file offers (headings, slugged the way GitHub
// slugs them, and explicit `id`/`name` attributes). Nothing is fetched: a web address only has to be a
// well-formed https one.

/** One place a document points at. */
export interface MarkdownLink {
  line: number;
  target: string;
  image: boolean;
}

const blank = (text: string) => text.replace(/[^\n]/g, " ");

/** Blanks fenced code blocks and HTML comments, which GitHub does not read as Markdown, keeping line numbers. */
function withoutCodeBlocks(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let fence: { char: string; length: number } | undefined;
  const kept = lines.map((line) => {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (closing?.[1]?.[0] === fence.char && (closing[1]?.length ?? 0) >= fence.length) fence = undefined;
      return "";
    }
    if (opening?.[1]) {
      fence = { char: opening[1][0] ?? "`", length: opening[1].length };
      return "";
    }
    return line;
  });
  return kept.join("\n").replace(/<!--[\s\S]*?-->/g, blank);
}

/** The text links are read from: no code blocks, comments or code spans, with the line numbers kept. */
export function proseOf(markdown: string): string {
  // A code span closes at the next run of exactly as many backticks, within its paragraph.
  return withoutCodeBlocks(markdown).replace(
    /(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n)[\s\S])*?[^`])\1(?!`)/g,
    blank,
  );
}

const lineAt = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** The destination of `(dest "title")`, without the angle brackets a destination may carry. */
function destination(inside: string): string {
  const trimmed = inside.trim();
  if (trimmed.startsWith("<"))
    return trimmed.slice(1, trimmed.indexOf(">") >= 0 ? trimmed.indexOf(">") : undefined);
  return trimmed.split(/\s+/)[0] ?? "";
}

/** Every link and image of a document, in order. */
export function linksOf(markdown: string): MarkdownLink[] {
  const prose = proseOf(markdown);
  const found: MarkdownLink[] = [];
  // A reference definition (`[label]: dest`) holds the destination of every `[text][label]` that uses it.
  for (const match of prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*(\S+)/gm))
    found.push({ line: lineAt(prose, match.index), target: destination(match[1] ?? ""), image: false });
  // `[text](dest)` and `![alt](dest)`; the text may hold one level of brackets (an image inside a link).
  for (const match of prose.matchAll(
    /(!?)\[((?:[^[\]]|\[[^\]]*\])*)\]\(([^()\s]*(?:\([^()]*\))?[^()]*)\)/g,
  )) {
    found.push({
      line: lineAt(prose, match.index),
      target: destination(match[3] ?? ""),
      image: match[1] === "!",
    });
    // An image inside the link's text.
    for (const inner of (match[2] ?? "").matchAll(/!\[[^\]]*\]\(([^()\s]+)[^()]*\)/g))
      found.push({ line: lineAt(prose, match.index), target: inner[1] ?? "", image: true });
  }
  for (const match of prose.matchAll(/<(https?:\/\/[^\s<>]+)>/g))
    found.push({ line: lineAt(prose, match.index), target: match[1] ?? "", image: false });
  // A bare web address, which GitHub links too (without the punctuation that ends a sentence).
  for (const match of prose.matchAll(/(?<![<(\w"'=/])https?:\/\/[^\s<>()[\]`|]+/g))
    found.push({
      line: lineAt(prose, match.index),
      target: match[0].replace(/[.,:;!?*_~'"]+$/, ""),
      image: false,
    });
  for (const match of prose.matchAll(/<(a|img)\b[^>]*?\s(href|src)\s*=\s*("([^"]*)"|'([^']*)')/gi))
    found.push({
      line: lineAt(prose, match.index),
      target: match[4] ?? match[5] ?? "",
      image: (match[1] ?? "").toLowerCase() === "img",
    });
  return found.sort((a, b) => a.line - b.line);
}

/** The text GitHub shows for a heading's Markdown: link texts, code as written, no emphasis or markup. */
function headingText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .split(/(`+[^`]*`+)/)
    .map((part, index) =>
      index % 2 === 1
        ? part.replace(/`/g, "")
        : part.replace(
            /(^|[^\p{L}\p{N}])[*_]+(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])[*_]+(?=[^\p{L}\p{N}]|$)/gu,
            "$1",
          ),
    )
    .join("")
    .trim();
}

/** GitHub's slug of a heading's text: lower case, punctuation removed (not `-` or `_`), each space a `-`. */
export function githubSlug(text: string): string {
  return headingText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors a document offers: heading slugs (a repeated slug gets `-1`, `-2`…) and `id`/`name` attributes. */
export function anchorsOf(markdown: string): Set<string> {
  const text = withoutCodeBlocks(markdown);
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  const addHeading = (text: string) => {
    const slug = githubSlug(text);
    const seen = counts.get(slug) ?? 0;
    counts.set(slug, seen + 1);
    anchors.add(seen === 0 ? slug : `${slug}-${seen}`);
  };
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    const atx = /^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(line);
    if (atx) {
      addHeading(atx[1] ?? "");
      return;
    }
    const previous = lines[index - 1] ?? "";
    const before = lines[index - 2] ?? "";
    // A setext heading: one line of text that starts a paragraph, underlined with = or -.
    if (
      /^ {0,3}(=+|-+)\s*$/.test(line) &&
      /\S/.test(previous) &&
      (!/\S/.test(before) || /^ {0,3}#{1,6}(\s|$)/.test(before)) &&
      !/^\s*([-*+>|#]|\d+[.)])/.test(previous)
    )
      addHeading(previous.trim());
  });
  for (const match of proseOf(markdown).matchAll(/<[a-z][^>]*?\s(?:id|name)\s*=\s*("([^"]*)"|'([^']*)')/gi))
    anchors.add(match[2] ?? match[3] ?? "");
  return anchors;
}

/** What the checker needs of the repository: its files' texts, and whether a path is a file or a folder of it. */
export interface Repository {
  read(path: string): string;
  kind(path: string): "file" | "folder" | undefined;
}

/**
 * A link's path from the repository's root: from the folder of the file it is in, or from the root when it starts
 * with `/` (as on GitHub); undefined when it climbs out of the repository.
 */
export function resolvePath(from: string, target: string): string | undefined {
  const parts = target.startsWith("/") ? [] : from.split("/").slice(0, -1);
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

/** Why a web address is not a well-formed https one, or undefined when it is. */
function webProblem(target: string): string | undefined {
  if (!/^https:\/\//i.test(target)) return "is not an https address";
  try {
    const url = new URL(target);
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(url.hostname)) return "has no proper host name";
  } catch {
    return "is not a well-formed address";
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Every broken link and image of `files`, as "file:line: target problem". */
export function brokenLinks(repository: Repository, files: readonly string[]): string[] {
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (path: string) => {
    let found = anchorCache.get(path);
    if (!found) {
      found = anchorsOf(repository.read(path));
      anchorCache.set(path, found);
    }
    return found;
  };
  const problems: string[] = [];
  for (const file of files) {
    for (const { line, target, image } of linksOf(repository.read(file))) {
      const where = `${file}:${line}: ${image ? "image" : "link"} ${target || "(empty)"}`;
      if (target === "") {
        problems.push(`${where} is empty`);
        continue;
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
        const problem = webProblem(target);
        if (problem) problems.push(`${where} ${problem}`);
        continue;
      }
      const hash = target.indexOf("#");
      const pathPart = hash >= 0 ? target.slice(0, hash) : target;
      const anchor = hash >= 0 ? target.slice(hash + 1) : undefined;
      let decoded: string;
      try {
        decoded = decodeURIComponent(pathPart.split("?")[0] ?? "");
      } catch {
        problems.push(`${where} is not valid percent-encoding`);
        continue;
      }
      const path = decoded === "" ? file : resolvePath(file, decoded);
      if (path === undefined) {
        problems.push(`${where} points outside the repository`);
        continue;
      }
      const kind = path === "" ? "folder" : repository.kind(path);
      if (kind === undefined) {
        problems.push(`${where} names no file of the repository (${path})`);
        continue;
      }
      if (image && kind !== "file") problems.push(`${where} is not a file`);
      if (anchor === undefined) continue;
      if (kind === "file" && path.endsWith(".md")) {
        if (!anchors(path).has(safeDecode(anchor)))
          problems.push(`${where} names no heading or id of ${path}`);
      } else if (!/^L\d+(-L\d+)?$/.test(anchor))
        problems.push(`${where} has an anchor in a file that has none`);
    }
  }
  return problems;
}
