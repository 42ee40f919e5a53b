// The platform check's report: the answers, the requests to Extend, the measured costs, versions, settings and
// the last job, and the plain text the Copy report button gives for a support ticket. The key is never in it:
// the settings say only whether one is saved, and every text from a server or an error is scrubbed before it
// gets here (and the whole text once more by the caller).
import { escapeHtml } from "./dry-run";
import type { Behaviour, BehaviourId, Finding } from "./platform-check";
import type { MeasuredCosts } from "./platform-costs";

/** One List request of the check: where it went and what came back. */
export interface RequestProbe {
  /** "US1", "US2", "EU1", or "base URL set for local runs". */
  target: string;
  status?: number;
  /** Why no answer came (scrubbed, cut). */
  failure?: string;
  ms: number;
}

export interface PlatformReport {
  checkedAt: string;
  seconds: number;
  versions: {
    addOn: string;
    runtime: string;
    locale: string;
    spreadsheetTimeZone: string;
    scriptTimeZone: string;
  };
  settings: {
    region: string;
    workspaceSet: boolean;
    rate: number;
    keySaved: boolean;
    localBaseUrl: boolean;
  };
  /** UrlFetch requests this user made today, when the add-on counts them. */
  quotaUsedToday: number | undefined;
  /** The run log's last row in words, or undefined when there is none. */
  lastJob: Finding<string | undefined>;
  behaviours: Behaviour[];
  requests: Finding<RequestProbe[]>;
  costs: MeasuredCosts;
  /** A temporary sheet left by a check that was stopped, removed by this one. */
  leftoverRemoved: boolean;
}

/** What the sidebar gets: the report's text, and each answer's code (undefined: not checked). */
export interface PlatformCheckView {
  text: string;
  answers: Partial<Record<BehaviourId, string>>;
}

const findingText = <T>(finding: Finding<T>, show: (value: T) => string): string =>
  finding.ok ? show(finding.value) : `could not be checked: ${finding.reason}`;

function requestLine(probe: RequestProbe): string {
  const outcome =
    probe.status !== undefined ? `HTTP ${probe.status}` : `no answer (${probe.failure ?? "unknown"})`;
  return `${probe.target}: ${outcome} in ${Math.round(probe.ms)} ms`;
}

/** The report as plain text, for a support ticket. */
export function platformReportText(report: PlatformReport): string {
  const { versions, settings, costs } = report;
  const lines = [
    "Extend Sync: platform check",
    `Checked at ${report.checkedAt} in ${report.seconds.toFixed(1)} s. Your sheets were not changed and no update was sent to Extend.`,
    ...(report.leftoverRemoved
      ? ["A temporary sheet left by an earlier check that was stopped was removed."]
      : []),
    "",
    "Versions",
    `  Add-on: ${versions.addOn}`,
    `  Apps Script runtime: ${versions.runtime}`,
    `  Spreadsheet locale: ${versions.locale}; time zone: ${versions.spreadsheetTimeZone}; script time zone: ${versions.scriptTimeZone}`,
    "",
    "Settings",
    `  Region: ${settings.region}${settings.localBaseUrl ? " (a base URL is set for local runs)" : ""}`,
    `  Workspace ID: ${settings.workspaceSet ? "set" : "not set"}`,
    `  Rate: ${settings.rate} requests per second`,
    `  API key: ${settings.keySaved ? "saved" : "not saved"}`,
    `  Quota used today: ${report.quotaUsedToday === undefined ? "not counted" : `${report.quotaUsedToday} web requests`}`,
    "",
    "Last job",
    `  ${findingText(report.lastJob, (summary) => summary ?? "none yet (the run log is empty)")}`,
    "",
    "How this spreadsheet behaves",
    ...report.behaviours.map(
      (behaviour) =>
        `  - ${behaviour.question}: ${findingText(behaviour.answer, (value) => `${value.words} [${value.code}]`)}`,
    ),
    "",
    "Requests to Extend (a List of one run, read only)",
    ...(report.requests.ok
      ? report.requests.value.map((probe) => `  ${requestLine(probe)}`)
      : [`  could not be checked: ${report.requests.reason}`]),
    "",
    "Measured costs (save the JSON below as a file: npm run bench -- --cost-model FILE.json)",
    costs.notMeasured.length > 0
      ? `  Not measured, the typical figure kept: ${costs.notMeasured.join(", ")}`
      : "  Every figure was measured.",
    ...(costs.concurrencyAtLeast
      ? ["  urlFetch.concurrency is a lower bound: every request the check sent at once ran together."]
      : []),
    "  urlFetch.callMs includes Extend's own answer time.",
    JSON.stringify(costs.model, null, 2),
  ];
  return lines.join("\n");
}

/**
 * The menu's dialog: the report readable and selectable in a read-only box, and Copy report. The clipboard
 * API may be refused in Google's dialog frame; then the text is selected for Ctrl+C and the page says so.
 */
export function renderPlatformReport(text: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><base target="_top"><style>
body { font: 13px Arial, sans-serif; margin: 12px; }
textarea { width: 100%; height: 380px; font: 12px monospace; box-sizing: border-box; }
button { margin-top: 8px; }
</style></head><body>
<h1 style="font-size:15px;margin:0 0 8px">Platform check finished</h1>
<p>Your sheets were not changed and no update was sent. Copy the report into a support ticket if you are asked for it.</p>
<label for="report">Report</label>
<textarea id="report" readonly>${escapeHtml(text)}</textarea>
<button type="button" id="copy">Copy report</button>
<p id="copied" role="status"></p>
<script>
(function () {
  var box = document.getElementById("report");
  var said = document.getElementById("copied");
  function selectIt() { box.focus(); box.select(); said.textContent = "The report is selected: press Ctrl+C (or Cmd+C) to copy it."; }
  document.getElementById("copy").addEventListener("click", function () {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(box.value).then(function () { said.textContent = "Report copied."; }, selectIt);
    } else selectIt();
  });
})();
</script>
</body></html>`;
}
