// Charges one execution's service calls by the cost model, the way Sheets makes a script pay: reads and
// metadata calls are round trips; writes are cheap to queue and the queue is committed (and paid) by the next
// read, a structural edit, SpreadsheetApp.flush() or the end of the execution. Properties, cache and lock calls
// cost a fixed time each. The time is spent through the execution, so it passes on its clock and can kill it. A
// write Sheets refuses at commit (refusals.ts, "at-flush") makes that commit throw.
import { type Area, areaOf, type Ledger } from "./accounting.js";
import type { CostModel } from "./cost-model.js";

/** Sheets calls that ask Sheets for something without returning cells. */
const METADATA_ROUND_TRIPS = new Set([
  "Sheet.getLastRow",
  "Sheet.getLastColumn",
  "Sheet.getMaxRows",
  "Sheet.getMaxColumns",
  "Sheet.getDataRange",
  "Sheet.getFilter",
  "Sheet.isRowHiddenByFilter",
  "Spreadsheet.getLastRow",
  "Spreadsheet.getLastColumn",
]);

/** Edits of the grid itself: Sheets applies the queued writes first, then answers. */
const STRUCTURAL_EDITS = new Set(
  [
    "insertColumnsAfter",
    "insertColumnAfter",
    "insertColumnsBefore",
    "insertColumnBefore",
    "insertRowsAfter",
    "insertRowAfter",
    "insertRowsBefore",
    "insertRowBefore",
    "deleteRows",
    "deleteRow",
    "deleteColumns",
    "deleteColumn",
    "hideColumns",
    "hideColumn",
    "showColumns",
    "unhideColumn",
    "sort",
  ]
    .map((method) => `Sheet.${method}`)
    .concat(["Spreadsheet.insertSheet", "Spreadsheet.deleteSheet"]),
);

const PROPERTY_READS = new Set(["getProperty", "getProperties", "getKeys"]);
const PROPERTY_WRITES = new Set(["setProperty", "setProperties", "deleteProperty", "deleteAllProperties"]);
const LOCK_CALLS = new Set(["tryLock", "waitLock", "releaseLock"]);
const CACHE_READS = new Set(["get", "getAll"]);
const CACHE_WRITES = new Set(["put", "putAll", "remove", "removeAll"]);

export class CostMeter {
  private pendingWrites = 0;
  private pendingCells = 0;
  /** A queued write Sheets refused, reported at the next commit (refusedWriteTiming "at-flush"). */
  private refusal: string | undefined;

  constructor(
    readonly model: CostModel,
    private readonly ledger: Ledger,
    /** Lets `ms` pass inside the execution (and records it under `area`); kills it past its deadline. */
    private readonly spend: (ms: number, area: Area) => void,
    /** Throws a refused write's message into the script. */
    private readonly fail: (message: string) => never = (message) => {
      throw new Error(message);
    },
  ) {}

  /** A queued write Sheets will refuse when it commits the queue; the first one is what the script hears. */
  deferRefusal(message: string): void {
    this.refusal ??= message;
  }

  /** The refusal still waiting when the execution ends (its final commit fails with it), taken once. */
  takeRefusal(): string | undefined {
    const message = this.refusal;
    this.refusal = undefined;
    return message;
  }

  /** Every service call, from Execution.enter: counted by area, charged when the call has a fixed cost. */
  onCall(service: string, method: string): void {
    const area = areaOf(service, method);
    this.ledger.call(area);
    const key = `${service}.${method}`;
    if (METADATA_ROUND_TRIPS.has(key) || STRUCTURAL_EDITS.has(key)) this.roundTrip(0);
    else if (key === "SpreadsheetApp.flush") this.commit();
    else if (service === "Properties" && PROPERTY_READS.has(method))
      this.spend(this.model.properties.getMs, area);
    else if (service === "Properties" && PROPERTY_WRITES.has(method))
      this.spend(this.model.properties.setMs, area);
    else if (service === "Cache" && CACHE_READS.has(method)) this.spend(this.model.cache.getMs, area);
    else if (service === "Cache" && CACHE_WRITES.has(method)) this.spend(this.model.cache.putMs, area);
    else if (service === "Lock" && LOCK_CALLS.has(method)) this.spend(this.model.lock.callMs, area);
  }

  /** A read returning `cells` cells: commits the queued writes, then one round trip plus the cells. */
  sheetsRead(cells: number): void {
    this.ledger.count("sheets.cellsRead", cells);
    this.roundTrip(cells);
  }

  /** A write of `cells` cells: only queued now. */
  sheetsWrite(cells: number): void {
    this.ledger.count("sheets.writeCalls");
    this.ledger.count("sheets.cellsWritten", cells);
    this.pendingWrites += 1;
    this.pendingCells += cells;
    this.spend(this.model.sheets.writeQueueMs, "sheets");
  }

  /** Pays for the queued writes, if any, as SpreadsheetApp.flush() does; throws if Sheets refused one. */
  commit(): void {
    const ms = this.takePending();
    if (ms !== undefined) this.spend(ms, "sheets");
    const refused = this.takeRefusal();
    if (refused !== undefined) this.fail(refused);
  }

  /** The commit Sheets makes when the execution ends; returns its cost for the caller to let pass. */
  commitAtEnd(): number {
    return this.takePending() ?? 0;
  }

  private roundTrip(cells: number): void {
    this.commit();
    this.ledger.count("sheets.roundTrips");
    this.spend(this.model.sheets.roundTripMs + cells * this.model.sheets.cellReadMs, "sheets");
  }

  private takePending(): number | undefined {
    if (this.pendingWrites === 0) return undefined;
    const ms = this.model.sheets.commitMs + this.pendingCells * this.model.sheets.cellWriteMs;
    this.ledger.count("sheets.commits");
    this.pendingWrites = 0;
    this.pendingCells = 0;
    return ms;
  }
}
