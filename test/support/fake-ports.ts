// Plain-data stand-ins for the core's ports: a sheet as a 2-D array, HTTP as a function, time as a number.

import type { Clock, DateCells, HttpPort, SheetPort } from "../../src/core/engine/ports";
import type { HttpResponse } from "../../src/core/requests/classify";
import type { HttpRequest } from "../../src/core/requests/request";
import type { CellValue } from "../../src/core/sheet/cell";
import type { RangeWrite } from "../../src/core/sheet/write-plan";

export class ArraySheet implements SheetPort {
  readonly writes: RangeWrite[] = [];
  /** Each write's cells given the date format for the first time, and the columns hidden, in order. */
  readonly firstDates: DateCells[] = [];
  readonly hidden: number[] = [];
  /** Reads by kind, to check what an execution costs. */
  readonly reads = { all: 0, header: 0, column: 0, block: 0 };
  /** Runs before every header, column or block read, so a test can sort rows or move columns between batches. */
  beforeRead?: (sheet: ArraySheet) => void;
  /** Runs before every write; throwing refuses it, as Sheets refuses a protected or oversized cell. */
  beforeWrite?: (write: RangeWrite) => void;

  constructor(public rows: CellValue[][]) {}

  private width(): number {
    let width = 0;
    for (const row of this.rows) if (row.length > width) width = row.length;
    return width;
  }

  readAll(): CellValue[][] {
    this.reads.all += 1;
    return this.snapshot();
  }

  /** The sheet as it is, without counting a read (for assertions). */
  snapshot(): CellValue[][] {
    const width = this.width();
    return this.rows.map((row) => Array.from({ length: width }, (_, index) => row[index] ?? ""));
  }

  readHeader(): CellValue[] {
    this.beforeRead?.(this);
    this.reads.header += 1;
    return this.snapshot()[0] ?? [];
  }

  readColumn(column: number): CellValue[] {
    this.beforeRead?.(this);
    this.reads.column += 1;
    return this.rows.map((row) => row[column] ?? "");
  }

  readColumns(columns: readonly number[]): CellValue[][] {
    this.beforeRead?.(this);
    this.reads.column += columns.length;
    return columns.map((column) => this.rows.map((row) => row[column] ?? ""));
  }

  readBlock(firstRow: number, rowCount: number, firstColumn: number, columnCount: number): CellValue[][] {
    this.beforeRead?.(this);
    this.reads.block += 1;
    // Like Sheets' getRange: rows past the sheet's end are refused, not read as blanks.
    if (firstRow - 1 + rowCount > this.rows.length)
      throw new Error("The coordinates of the range are outside the dimensions of the sheet.");
    return Array.from({ length: rowCount }, (_, offset) => {
      const row = this.rows[firstRow - 1 + offset] ?? [];
      return Array.from({ length: columnCount }, (_, index) => row[firstColumn + index] ?? "");
    });
  }

  write(writes: readonly RangeWrite[], firstDates?: DateCells): void {
    if (firstDates) this.firstDates.push(firstDates);
    for (const write of writes) {
      this.beforeWrite?.(write);
      this.writes.push(write);
      write.values.forEach((values, rowOffset) => {
        const row = this.rows[write.row - 1 + rowOffset];
        if (!row) throw new Error(`write to missing row ${write.row + rowOffset}`);
        values.forEach((value, columnOffset) => {
          // Sheets stores a leading-apostrophe string as the text after it.
          row[write.column - 1 + columnOffset] =
            typeof value === "string" && value.startsWith("'") ? value.slice(1) : value;
        });
      });
    }
  }

  appendRows(rows: readonly (readonly CellValue[])[], columns: readonly number[]): void {
    for (const values of rows) {
      const row: CellValue[] = [];
      columns.forEach((column, index) => {
        while (row.length < column) row.push("");
        row[column] = values[index] ?? "";
      });
      this.rows.push(row);
    }
  }

  appendColumns(headers: readonly string[]): void {
    const width = this.width();
    this.rows.forEach((row, index) => {
      while (row.length < width) row.push("");
      row.push(...headers.map((header) => (index === 0 ? header : "")));
    });
  }

  hideColumn(column: number): void {
    this.hidden.push(column);
  }

  column(header: string): CellValue[] {
    const index = this.rows[0]?.indexOf(header) ?? -1;
    return this.rows.slice(1).map((row) => row[index] ?? "");
  }
}

/** An answer, a transport failure, or (for fetchAll only) null: no answer in that request's place. */
export type Responder = (request: HttpRequest, call: number) => HttpResponse | Error | null;

export class ScriptedHttp implements HttpPort {
  readonly sent: { request: HttpRequest; at: number }[] = [];
  fetchAllCalls = 0;
  constructor(
    private readonly respond: Responder,
    private readonly clock: VirtualClock,
  ) {}

  private one(request: HttpRequest): HttpResponse | Error | null {
    this.sent.push({ request, at: this.clock.now() });
    return this.respond(request, this.sent.length);
  }

  fetchAll(requests: readonly HttpRequest[]): (HttpResponse | null)[] {
    this.fetchAllCalls += 1;
    const results = requests.map((request) => this.one(request));
    this.clock.advance(50);
    const failure = results.find((result) => result instanceof Error);
    if (failure) throw failure;
    return results as (HttpResponse | null)[];
  }

  fetch(request: HttpRequest): HttpResponse {
    const result = this.one(request);
    this.clock.advance(50);
    if (result instanceof Error) throw result;
    if (result === null) throw new Error("Address unavailable");
    return result;
  }

  runIdsSent(): string[] {
    return this.sent.map(({ request }) => decodeURIComponent(request.url.split("/").pop() ?? ""));
  }
}

export class VirtualClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  sleep(ms: number): void {
    this.sleeps.push(ms);
    this.advance(ms);
  }
  advance(ms: number): void {
    this.time += Math.max(0, ms);
  }
}

export function runJson(id: string, status = "PROCESSED"): HttpResponse {
  return {
    status: 200,
    headers: { "x-extend-request-id": `req_${id.slice(-4)}` },
    body: JSON.stringify({
      object: "workflow_run",
      id,
      status,
      dashboardUrl: `https://dashboard.extend.ai/workflows/${id}`,
    }),
  };
}

export function errorJson(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): HttpResponse {
  return {
    status,
    headers: { "Content-Type": "application/json", ...(extra.headers as Record<string, string>) },
    body: JSON.stringify({
      code,
      message,
      retryable: status === 429 || status >= 500,
      requestId: `req_${code}`,
    }),
  };
}
