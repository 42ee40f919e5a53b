// The baseline the benchmark measures the add-on against: how a sync is commonly hand-written in Apps Script,
// one UrlFetchApp.fetch and one cell write at a time, results in two columns after the data. Runs in the local
// host as a classic script; it cannot resume, so a sheet too long for one execution is only partly synced.
// biome-ignore lint/correctness/noUnusedVariables: called by name from the host, as Apps Script would.
function naiveSync() {
  const sheet = SpreadsheetApp.getActiveSheet();
  const key = PropertiesService.getUserProperties().getProperty("extendSync.apiKey");
  const base = PropertiesService.getDocumentProperties().getProperty("extendSync.setting.baseUrl");
  const last = sheet.getLastRow();
  const resultColumn = sheet.getLastColumn() + 1;
  sheet.getRange(1, resultColumn, 1, 2).setValues([["Sync Result", "Run Status"]]);
  for (let row = 2; row <= last; row++) {
    const id = sheet.getRange(row, 1).getValue();
    const body = {
      name: sheet.getRange(row, 2).getValue(),
      metadata: { customer: sheet.getRange(row, 3).getValue() },
    };
    const response = UrlFetchApp.fetch(`${base}/workflow_runs/${encodeURIComponent(id)}`, {
      method: "post",
      contentType: "application/json",
      headers: { Authorization: `Bearer ${key}`, "x-extend-api-version": "2026-02-09" },
      payload: JSON.stringify(body),
      muteHttpExceptions: true,
    });
    const ok = response.getResponseCode() === 200;
    sheet.getRange(row, resultColumn).setValue(ok ? "Updated" : "Failed");
    sheet.getRange(row, resultColumn + 1).setValue(ok ? JSON.parse(response.getContentText()).status : "");
  }
}
