// A cost model measured in a real spreadsheet (the platform check's report, saved as JSON) for
// `npm run bench -- --cost-model FILE.json`: exactly the fields of the host's CostModel, each a number in the
// host's units, or the file is refused with the field that is wrong.
import { readFileSync } from "node:fs";
import type { CostModel } from "../dev/gas-host/index.js";

/** Every field of CostModel and what it must hold, by its path. */
const FIELDS: Readonly<Record<string, "name" | "ms" | "count">> = {
  name: "name",
  "sheets.roundTripMs": "ms",
  "sheets.cellReadMs": "ms",
  "sheets.writeQueueMs": "ms",
  "sheets.commitMs": "ms",
  "sheets.cellWriteMs": "ms",
  "properties.getMs": "ms",
  "properties.setMs": "ms",
  "lock.callMs": "ms",
  "urlFetch.callMs": "ms",
  "urlFetch.concurrency": "count",
  "urlFetch.jitterMs": "ms",
  sleepOverheadMs: "ms",
  executionGapMs: "ms",
};
const GROUPS = new Set(
  Object.keys(FIELDS).flatMap((path) => (path.includes(".") ? [path.split(".")[0]] : [])),
);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The model in `text`, or an error naming `source` and every field that is missing, extra or wrong. */
export function parseCostModel(text: string, source: string): CostModel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(parsed)) throw new Error(`${source} must hold one JSON object, the cost model`);
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (GROUPS.has(key)) {
      if (!isObject(value)) problems.push(`${key} must be an object`);
      else
        for (const inner of Object.keys(value))
          if (!(`${key}.${inner}` in FIELDS))
            problems.push(`${key}.${inner} is not a field of the cost model`);
    } else if (!(key in FIELDS)) problems.push(`${key} is not a field of the cost model`);
  }
  for (const [path, kind] of Object.entries(FIELDS)) {
    const [group, field] = path.split(".") as [string, string | undefined];
    const holder = field === undefined ? parsed : parsed[group];
    const value = isObject(holder) ? holder[field ?? group] : undefined;
    if (value === undefined) problems.push(`${path} is missing`);
    else if (kind === "name" && typeof value !== "string") problems.push(`${path} must be text`);
    else if (kind === "ms" && !(typeof value === "number" && Number.isFinite(value) && value >= 0))
      problems.push(`${path} must be a number of milliseconds, 0 or more`);
    else if (kind === "count" && !(typeof value === "number" && Number.isInteger(value) && value >= 1))
      problems.push(`${path} must be a whole number, 1 or more`);
  }
  if (problems.length > 0) throw new Error(`${source} is not a cost model: ${problems.join("; ")}`);
  return parsed as unknown as CostModel;
}

export function readCostModelFile(path: string): CostModel {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(
      `--cost-model ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  return parseCostModel(text, path);
}
