// Shared set-up of the end-to-end tests: one Extend stand-in child process per test file, a fresh local Apps
// Script host per test running the built dist/Code.js, and readers for the sheet the way a user would see it.
// useExtend registers that lifecycle once, so every file also proves its hosts never show the API key.
// A suite can run in real time without costs (the default) or on a virtual clock with the cost model
// (TIMINGS.modelOn): pass the same timing to startExtend and newHost.
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import type {
  CellValue,
  ClockMode,
  CostModel,
  CostModelName,
  GasHostOptions,
  Transport,
} from "../../dev/gas-host/index.js";
import { GasHost } from "../../dev/gas-host/index.js";
import { configureAddOn } from "../../dev/local-run.js";
import { type StandInClient, startStandInProcess } from "../../dev/stand-in/process.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";

export const API_KEY = "e2e-key-not-secret";
export const SHEET = "Runs";

export interface Timing {
  /** "virtual": host and stand-in share the host's simulated clock. Default "real". */
  clock?: ClockMode;
  /** What service calls cost in the host (default "off"). */
  costModel?: CostModelName | CostModel;
}

/** The timings the suites run under: as before, and with the cost model on, simulated. */
export const TIMINGS = {
  real: {},
  modelOn: { clock: "virtual", costModel: "on" },
} as const satisfies Record<string, Timing>;

const virtualStandIns = new WeakSet<StandInClient>();

export async function startExtend(
  options: { runCount?: number; rate?: number } & Timing = {},
): Promise<StandInClient> {
  const client = await startStandInProcess({
    apiKey: API_KEY,
    runCount: options.runCount ?? 500,
    rate: options.rate ?? 1000,
    virtualClock: options.clock === "virtual",
  });
  if (options.clock === "virtual") virtualStandIns.add(client);
  return client;
}

export interface HostSetup extends Timing {
  rows?: CellValue[][];
  /** A CSV file imported as Sheets imports one, instead of rows. */
  csvPath?: string;
  rate?: number;
  executionLimitSeconds?: number;
  executionBudgetSeconds?: number;
  /** The Google account's UrlFetch calls a day (the host's default otherwise). */
  urlFetchDailyQuota?: number;
  /** Platform answers the host models as options (locale, refused-write timing, sheet-name lookup, ...). */
  platform?: Pick<
    GasHostOptions,
    | "locale"
    | "formulaSyntax"
    | "refusedWriteTiming"
    | "sheetNameLookup"
    | "plainTextApostrophe"
    | "fetchAllThrowsOnTransportError"
    | "activeUserEmail"
  >;
  /** A fetch worker shared by many hosts (each host starts its own otherwise, which takes a while). */
  transport?: Transport;
}

export function newHost(extend: StandInClient, setup: HostSetup): GasHost {
  const clock = setup.clock ?? (virtualStandIns.has(extend) ? "virtual" : "real");
  if ((clock === "virtual") !== virtualStandIns.has(extend)) {
    throw new Error(
      "newHost: the host and the stand-in must run on the same clock (pass the same timing to both)",
    );
  }
  const host = new GasHost({
    timeZone: "Europe/Berlin",
    clock,
    costModel: setup.costModel ?? "off",
    ...(setup.urlFetchDailyQuota ? { urlFetchDailyQuota: setup.urlFetchDailyQuota } : {}),
    ...setup.platform,
    ...(setup.transport ? { transport: setup.transport } : {}),
  });
  if (setup.csvPath) host.loadCsv(setup.csvPath, SHEET);
  else host.spreadsheet.addSheet(SHEET).setValues("A1", padRows(setup.rows ?? [[""]]), { raw: true });
  host.spreadsheet.select(SHEET, "A1");
  configureAddOn(host, {
    apiKey: API_KEY,
    baseUrl: extend.url,
    rate: setup.rate ?? 100,
    ...(setup.executionLimitSeconds ? { executionLimitSeconds: setup.executionLimitSeconds } : {}),
    ...(setup.executionBudgetSeconds ? { executionBudgetSeconds: setup.executionBudgetSeconds } : {}),
  });
  host.open();
  return host;
}

export interface ExtendSuite {
  /** The stand-in of this file (or describe block); there once its beforeAll has run. */
  readonly extend: StandInClient;
  /** A host as newHost makes it; after the test it is checked for the API key and disposed. */
  newHost(setup: HostSetup): GasHost;
}

/**
 * Starts a stand-in for the enclosing file or describe block and resets its runs and settings before each test;
 * after each test, every host made with the returned newHost must show no API key, and is disposed even when not;
 * then checkAfterEach, if given, asks the stand-in what every test of the file must leave true.
 */
export function useExtend(
  options: Parameters<typeof startExtend>[0] = {},
  checkAfterEach?: (extend: StandInClient) => Promise<void>,
): ExtendSuite {
  let client: StandInClient | undefined;
  const hosts: GasHost[] = [];
  const started = (): StandInClient => {
    if (!client) throw new Error("useExtend: the stand-in is used before its beforeAll has started it");
    return client;
  };
  beforeAll(async () => {
    client = await startExtend(options);
  });
  afterAll(async () => {
    await client?.close();
  });
  beforeEach(async () => {
    await started().reset({ runs: true, config: true });
  });
  afterEach(async () => {
    const used = hosts.splice(0);
    try {
      for (const host of used) expect(everythingVisible(host)).not.toContain(API_KEY);
    } finally {
      for (const host of used) host.dispose();
    }
    await checkAfterEach?.(started());
  });
  return {
    get extend() {
      return started();
    },
    newHost(setup) {
      const host = newHost(started(), setup);
      hosts.push(host);
      return host;
    },
  };
}

function padRows(rows: CellValue[][]): CellValue[][] {
  const width = Math.max(...rows.map((row) => row.length));
  return rows.map((row) => Array.from({ length: width }, (_, index) => row[index] ?? ""));
}

export const runIds = (count: number, seed = 1): string[] => seededRunIds(count, seed);

/** The sheet as header -> column values, for the rows below the header. */
export function columns(host: GasHost, sheetName = SHEET): Record<string, CellValue[]> {
  const [header = [], ...rows] = host.spreadsheet.sheet(sheetName).values();
  const byName: Record<string, CellValue[]> = {};
  header.forEach((name, index) => {
    if (name !== "") byName[String(name)] = rows.map((row) => row[index] ?? "");
  });
  return byName;
}

/** One row per data row: header -> value. */
export function records(host: GasHost, sheetName = SHEET): Record<string, CellValue>[] {
  const [header = [], ...rows] = host.spreadsheet.sheet(sheetName).values();
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [String(name), row[index] ?? ""])));
}

/** Every text the user or a log could see, to prove the API key appears nowhere. */
export function everythingVisible(host: GasHost): string {
  const cells = host.spreadsheet.sheets.flatMap((sheet) => [
    ...sheet.values().flat(),
    ...sheet.formulas().flat(),
  ]);
  const dialogs = host.ui.dialogs.map((dialog) => `${dialog.title} ${dialog.prompt}`);
  const logs = host.logs.map((entry) => JSON.stringify(entry));
  return [
    ...cells.map(String),
    ...dialogs,
    ...logs,
    ...host.ui.toasts.map((toast) => JSON.stringify(toast)),
  ].join("\n");
}

/** The sheet an import made ("Extend runs …"); a test that expects one fails here when there is none. */
export function importedSheet(host: GasHost): string {
  const name = host.spreadsheet.sheets.map((sheet) => sheet.name).find((n) => n.startsWith("Extend runs"));
  if (!name) throw new Error("no imported sheet");
  return name;
}

export function lastAlert(host: GasHost): string {
  return host.ui.alerts.at(-1)?.prompt ?? "";
}
