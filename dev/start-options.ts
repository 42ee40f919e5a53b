// What `npm start` was asked to do, checked before anything starts: its flags (contradictions refused with a
// sentence saying what goes with what) and the CSV file it reads, which must exist, be readable and be UTF-8
// text. Every refusal is one line and exit code 2, before the build, the stand-in or the host start.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { detectSeparator, type Separator } from "./csv-separator.js";
import { BOM } from "./safe-output.js";

/** A refusal of what was asked: printed as one line, exit code 2. */
export class UsageError extends Error {}

const OPTIONS = {
  build: { type: "boolean" },
  "base-url": { type: "string" },
  // Declared only to refuse it with a clear message: npm prints its command line, key included.
  "api-key": { type: "string" },
  "execution-limit": { type: "string" },
  rate: { type: "string" },
  refresh: { type: "boolean" },
  "tag-mode": { type: "string" },
  yes: { type: "boolean" },
  no: { type: "boolean" },
  import: { type: "string" },
  status: { type: "string" },
  "workflow-id": { type: "string" },
  "batch-id": { type: "string" },
  "file-name-contains": { type: "string" },
  "sort-by": { type: "string" },
  "sort-dir": { type: "string" },
  max: { type: "string" },
  "with-current": { type: "boolean" },
  undo: { type: "string" },
} as const;

const IMPORT_ONLY = [
  "status",
  "workflow-id",
  "batch-id",
  "file-name-contains",
  "sort-by",
  "sort-dir",
  "max",
  "with-current",
] as const;

const SYNC_ITEMS: Record<string, string> = {
  replace: "Sync all rows",
  add: "Add tags: all rows",
  remove: "Remove tags: all rows",
};

export type Action =
  | { kind: "sync"; caption: string }
  | { kind: "refresh" }
  | { kind: "import"; out: string }
  | { kind: "undo"; jobId: string };

export interface StartOptions {
  action: Action;
  /** The CSV to read (sync and refresh); with --undo, the one whose history file holds the job. */
  csvPath: string;
  /** Build dist/ first, quietly (what `npm start` asks for). */
  build: boolean;
  baseUrl: string | undefined;
  executionLimitSeconds: number | undefined;
  rate: number | undefined;
  /** How confirmations are answered: Yes (the default, --yes) or No (--no). */
  answerYes: boolean;
  /** The import dialog's form (only with --import). */
  importForm: Record<string, unknown>;
}

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function readFlags(args: string[]): { flags: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
    return { flags: values, positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message} The options are listed in docs/engineering.md, under Quick start.`);
  }
}

/** Sync (in a tag mode), refresh or import; refused when flags contradict each other. */
function chosenAction(flags: Flags, positionals: string[]): Action {
  if (flags.undo !== undefined) {
    if (flags.import !== undefined || flags.refresh || flags["tag-mode"] !== undefined)
      throw new UsageError(
        "--undo undoes a job recorded in the CSV's history file: it takes no --import, --refresh or --tag-mode.",
      );
    // The add-on's own rule for a job id (parseUndoRequest): what it prints after a sync always passes.
    if (!/^[\w-]{1,64}$/.test(flags.undo.trim()))
      throw new UsageError(
        "--undo takes a job id (letters, digits and dashes), as npm start prints it after a sync.",
      );
  }
  const stray = IMPORT_ONLY.filter((name) => flags[name] !== undefined);
  if (flags.undo !== undefined) {
    if (stray.length > 0) throw new UsageError(`--${stray.join(", --")} only go with --import.`);
    return { kind: "undo", jobId: flags.undo.trim() };
  }
  if (flags.import !== undefined) {
    if (flags.refresh || flags["tag-mode"] !== undefined || positionals.length > 0)
      throw new UsageError(
        "--import writes a new sheet: give it no CSV to read, and no --refresh or --tag-mode.",
      );
    return { kind: "import", out: flags.import };
  }
  if (stray.length > 0) throw new UsageError(`--${stray.join(", --")} only go with --import.`);
  if (flags.refresh) {
    if (flags["tag-mode"] !== undefined)
      throw new UsageError("--refresh reads runs: it takes no --tag-mode.");
    return { kind: "refresh" };
  }
  const caption = SYNC_ITEMS[flags["tag-mode"] ?? "replace"];
  if (!caption) throw new UsageError("--tag-mode takes add, remove or replace.");
  return { kind: "sync", caption };
}

export function startOptions(args: string[], defaultCsv: string): StartOptions {
  const { flags, positionals } = readFlags(args);
  const action = chosenAction(flags, positionals);
  if (positionals.length > 1)
    throw new UsageError(`npm start reads one CSV file; it was given ${positionals.length}.`);
  if (flags["api-key"] !== undefined)
    throw new UsageError(
      "--api-key is not accepted: npm prints the command line, so the key would show. Put the key in the EXTEND_API_KEY environment variable instead.",
    );
  if (flags.yes && flags.no) throw new UsageError("Give --yes or --no, not both.");
  const executionLimitSeconds = flags["execution-limit"] ? Number(flags["execution-limit"]) : undefined;
  if (executionLimitSeconds !== undefined && !(executionLimitSeconds >= 2 && executionLimitSeconds <= 360))
    throw new UsageError("--execution-limit takes seconds from 2 to 360.");
  return {
    action,
    csvPath: positionals[0] ?? defaultCsv,
    build: flags.build === true,
    baseUrl: flags["base-url"],
    executionLimitSeconds,
    rate: flags.rate ? Number(flags.rate) : undefined,
    answerYes: flags.no !== true,
    importForm: {
      status: flags.status ?? "",
      workflowId: flags["workflow-id"] ?? "",
      batchId: flags["batch-id"] ?? "",
      fileNameContains: flags["file-name-contains"] ?? "",
      sortBy: flags["sort-by"] ?? "",
      sortDir: flags["sort-dir"] ?? "",
      max: flags.max ?? "",
      withCurrent: flags["with-current"] === true,
    },
  };
}

export interface InputCsv {
  text: string;
  /** The file started with a byte order mark (Excel's "CSV UTF-8"): what is written back gets one too. */
  bom: boolean;
  separator: Separator;
}

const WHY_UNREADABLE: Record<string, string> = {
  ENOENT: "there is no such file",
  EISDIR: "it is a folder, not a file",
  EACCES: "you do not have permission to read it",
  EPERM: "you do not have permission to read it",
};

/** The CSV file's text, or a UsageError saying in one line why it cannot be read (and, for a path, `usage`). */
export function readInputCsv(path: string, usage = "npm start -- my-sheet.csv"): InputCsv {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const why = WHY_UNREADABLE[code] ?? `the system says ${code || error}`;
    throw new UsageError(`Cannot read ${path}: ${why}. Give the path of a CSV file: ${usage}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UsageError(
      `Cannot read ${path}: it is not UTF-8 text. In Excel, save it again as "CSV UTF-8"; in LibreOffice, choose the character set Unicode (UTF-8).`,
    );
  }
  return { text, bom: text.startsWith(BOM), separator: detectSeparator(text) };
}

/** Where a run's result goes: beside the input, `f.synced.csv` (or `.tsv`, `.txt`, as the input was named). */
export function outputPath(csvPath: string, suffix: string): string {
  const extension = [".csv", ".tsv", ".txt"].includes(extname(csvPath).toLowerCase()) ? extname(csvPath) : "";
  const base = extension ? csvPath.slice(0, -extension.length) : csvPath;
  return `${base}.${suffix}${extension || ".csv"}`;
}
