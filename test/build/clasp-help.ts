// The pinned clasp's own word on its command lines: `clasp --help` (commands, aliases, global options) and
// `clasp <command> --help` (options, arguments), read offline, and a check of a command line against them.
// Also the clasp command lines written in documentation: inline code and fenced code blocks of Markdown, where
// `clasp` (or `npx clasp`, `npx --prefix <repo> clasp`) starts a command.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const CLASP = join(import.meta.dirname, "../../node_modules/.bin/clasp");

interface OptionHelp {
  short: string | undefined;
  long: string;
  takesValue: boolean;
}

interface CommandHelp {
  names: string[];
  options: OptionHelp[];
  required: number;
  optional: number;
}

export interface ClaspHelp {
  /** By every name and alias. */
  commands: Map<string, CommandHelp>;
  globalOptions: OptionHelp[];
}

const OPTION_LINE = /^\s+(?:(-[A-Za-z]),\s*)?(--[A-Za-z][\w-]*)(?:\s+(<[^>]+>|\[[^\]]+\]))?(?:\s{2,}|$)/;

function parseOptions(section: string): OptionHelp[] {
  return section
    .split("\n")
    .map((line) => OPTION_LINE.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ short: match[1], long: match[2] as string, takesValue: match[3] !== undefined }));
}

function section(help: string, title: string): string {
  const start = help.indexOf(`\n${title}:\n`);
  if (start === -1) return "";
  const rest = help.slice(start + title.length + 3);
  const end = rest.search(/\n\S/);
  return end === -1 ? rest : rest.slice(0, end);
}

async function helpText(args: string[], home: string): Promise<string> {
  const { stdout } = await run(CLASP, args, { env: { ...process.env, HOME: home }, encoding: "utf8" });
  return stdout;
}

function argumentCounts(text: string): { required: number; optional: number } {
  const args = text.replace("[options]", "");
  return {
    required: (args.match(/<[^>]+>/g) ?? []).length,
    optional: (args.match(/\[[^\]]+\]/g) ?? []).length,
  };
}

/**
 * Reads `clasp --help` (every command with its aliases and arguments, and the global options), then
 * `clasp <command> --help` for each command that `lines` give an option clasp does not take everywhere: each
 * run of clasp costs seconds of start-up, so only those (two at a time: 2 cores).
 */
export async function readClaspHelp(lines: readonly (readonly string[])[]): Promise<ClaspHelp> {
  const home = mkdtempSync(join(tmpdir(), "clasp-help-"));
  try {
    const top = await helpText(["--help"], home);
    const globalOptions = parseOptions(section(top, "Options"));
    const commands = new Map<string, CommandHelp>();
    for (const line of section(top, "Commands").split("\n")) {
      const match = /^\s+([a-z][\w-]*(?:\|[a-z][\w-]*)*)((?: +(?:\[[^\]]+\]|<[^>]+>))*)/.exec(line);
      if (!match) continue;
      const names = (match[1] as string).split("|");
      const help: CommandHelp = { names, options: [], ...argumentCounts(match[2] ?? "") };
      for (const name of names) commands.set(name, help);
    }
    const isGlobal = (token: string) =>
      globalOptions.some((option) => option.long === token.split("=")[0] || option.short === token);
    const wanted = new Set<CommandHelp>();
    for (const line of lines) {
      const command = line.map((token) => commands.get(token)).find((help) => help !== undefined);
      if (command && line.some((token) => token.startsWith("-") && token !== "--" && !isGlobal(token))) {
        wanted.add(command);
      }
    }
    const queue = [...wanted];
    for (let index = 0; index < queue.length; index += 2) {
      const batch = queue.slice(index, index + 2);
      const texts = await Promise.all(
        batch.map((help) => helpText([help.names[0] as string, "--help"], home)),
      );
      batch.forEach((help, position) => {
        help.options = parseOptions(section(texts[position] as string, "Options"));
      });
    }
    return { commands, globalOptions };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Why clasp would not take `argv` (the words after `clasp`) as written, or undefined when it would. */
export function checkCommandLine(help: ClaspHelp, argv: readonly string[]): string | undefined {
  const line = `clasp ${argv.join(" ")}`;
  const find = (options: OptionHelp[], token: string) =>
    options.find((option) => option.long === token || option.short === token);
  let index = 0;
  const takeOption = (options: OptionHelp[]): string | undefined => {
    const token = argv[index] as string;
    const [name, inlineValue] = token.startsWith("--") ? token.split(/=(.*)/s) : [token, undefined];
    const option = find(options, name as string);
    if (!option) return `${line}: clasp has no option ${name} here`;
    index += 1;
    if (option.takesValue && inlineValue === undefined) {
      if (index >= argv.length) return `${line}: ${name} needs a value`;
      index += 1;
    }
    return undefined;
  };
  while (index < argv.length && (argv[index] as string).startsWith("-")) {
    const problem = takeOption(help.globalOptions);
    if (problem) return problem;
  }
  const name = argv[index];
  const command = name === undefined ? undefined : help.commands.get(name);
  if (!command) return `${line}: clasp has no command ${name ?? "(none)"}`;
  index += 1;
  let positional = 0;
  while (index < argv.length) {
    const token = argv[index] as string;
    if (token === "--") {
      positional += argv.length - index - 1;
      break;
    }
    if (token.startsWith("-") && token.length > 1) {
      const problem = takeOption([...command.options, ...help.globalOptions]);
      if (problem) return problem;
    } else {
      positional += 1;
      index += 1;
    }
  }
  if (positional < command.required) return `${line}: ${name} needs ${command.required} argument(s)`;
  if (positional > command.required + command.optional) return `${line}: too many arguments for ${name}`;
  return undefined;
}

/** Splits a shell line into words: quotes and <placeholders> (which may hold spaces) stay whole. */
function words(text: string): string[] {
  const out: string[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (text.startsWith("&&", index) || "|;#)".includes(char)) break;
    let word = "";
    while (index < text.length && !/\s/.test(text[index] as string)) {
      const quote = text[index] as string;
      const close = quote === '"' || quote === "'" ? quote : quote === "<" ? ">" : undefined;
      if (close) {
        const end = text.indexOf(close, index + 1);
        if (end === -1) throw new Error(`unclosed ${quote} in: ${text}`);
        word += quote === "<" ? text.slice(index, end + 1) : text.slice(index + 1, end);
        index = end + 1;
      } else {
        if (text.startsWith("&&", index) || "|;)".includes(quote)) break;
        word += quote;
        index += 1;
      }
    }
    out.push(word);
  }
  return out;
}

const CLASP_START = /(?:^|[\s(&;|])(?:npx\s+(?:--prefix\s+(?:<[^>]*>|\S+)\s+)?)?clasp\s+(?=[a-z-])/g;

/** The clasp command lines (the words after `clasp`) in one piece of code or one shell line. */
export function claspCommandsIn(code: string): string[][] {
  const found: string[][] = [];
  for (const line of code.split("\n")) {
    for (const match of line.matchAll(CLASP_START)) {
      found.push(words(line.slice((match.index ?? 0) + match[0].length)));
    }
  }
  return found;
}

/** The clasp command lines of a Markdown text: in fenced code blocks (also indented ones) and in inline code. */
export function claspCommandsInMarkdown(markdown: string): string[][] {
  const blocks: string[] = [];
  const prose = markdown.replace(/^[ \t]*```[^\n]*\n([\s\S]*?)^[ \t]*```[ \t]*$/gm, (_, body: string) => {
    blocks.push(body);
    return "";
  });
  // An inline code span may wrap onto the next line, where it reads as one space.
  for (const match of prose.matchAll(/`([^`]+)`/g))
    blocks.push((match[1] as string).replace(/\s*\n\s*/g, " "));
  return blocks.flatMap(claspCommandsIn);
}
