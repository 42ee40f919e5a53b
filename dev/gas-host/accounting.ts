// Where the time of an execution goes and what it asked of each service: call counts, cells read and written,
// requests and 429 answers, and the time charged per area. Each execution keeps its own ledger, which also
// adds to the host's, so tests and the benchmark read either one (ExecutionResult.accounting,
// host.accounting.snapshot()).

export const AREAS = [
  "sheets",
  "properties",
  "cache",
  "lock",
  "urlFetch",
  "sleep",
  "cpu",
  "gap",
  "other",
] as const;
export type Area = (typeof AREAS)[number];

export interface Accounting {
  /** Time spent per area, ms: cost-model charges, fetch latency, sleeps, the script's own CPU, gaps. */
  timeMs: Record<Area, number>;
  /** Service method calls per area ("sheets": every SpreadsheetApp/Spreadsheet/Sheet/Range/... call). */
  calls: Record<Area, number>;
  sheets: {
    /** Calls that went to Sheets and back: data reads, getLastRow & co, structural edits. */
    roundTrips: number;
    cellsRead: number;
    writeCalls: number;
    cellsWritten: number;
    /** Times queued writes were committed (by a read, flush, structural edit or the execution's end). */
    commits: number;
  };
  urlFetch: { requests: number; waves: number; answered429: number };
  /** Executions that ran (refused ones excluded). */
  executions: number;
}

const zeroAreas = (): Record<Area, number> =>
  Object.fromEntries(AREAS.map((area) => [area, 0])) as Record<Area, number>;

export const emptyAccounting = (): Accounting => ({
  timeMs: zeroAreas(),
  calls: zeroAreas(),
  sheets: { roundTrips: 0, cellsRead: 0, writeCalls: 0, cellsWritten: 0, commits: 0 },
  urlFetch: { requests: 0, waves: 0, answered429: 0 },
  executions: 0,
});

type Counter =
  | "executions"
  | `sheets.${keyof Accounting["sheets"]}`
  | `urlFetch.${keyof Accounting["urlFetch"]}`;

/** A running tally; each change also goes to the parent (an execution's ledger feeds the host's). */
export class Ledger {
  private data = emptyAccounting();

  constructor(private readonly parent?: Ledger) {}

  time(area: Area, ms: number): void {
    if (ms <= 0) return;
    this.data.timeMs[area] += ms;
    this.parent?.time(area, ms);
  }

  call(area: Area): void {
    this.data.calls[area] += 1;
    this.parent?.call(area);
  }

  count(counter: Counter, n = 1): void {
    if (counter === "executions") this.data.executions += n;
    else {
      const [group, field] = counter.split(".") as ["sheets" | "urlFetch", string];
      const tally = this.data[group] as Record<string, number>;
      tally[field] = (tally[field] ?? 0) + n;
    }
    this.parent?.count(counter, n);
  }

  snapshot(): Accounting {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = emptyAccounting();
  }
}

const SHEETS_SERVICES = new Set([
  "SpreadsheetApp",
  "Spreadsheet",
  "Sheet",
  "Range",
  "RangeList",
  "Selection",
]);

/** The area a service call belongs to, for counting. */
export function areaOf(service: string, method: string): Area {
  if (SHEETS_SERVICES.has(service)) return "sheets";
  if (service === "Properties") return "properties";
  if (service === "Cache") return "cache";
  if (service === "Lock") return "lock";
  if (service === "UrlFetchApp") return "urlFetch";
  if (service === "Utilities" && method === "sleep") return "sleep";
  return "other";
}
