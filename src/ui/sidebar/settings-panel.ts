// The Settings tab: the API key (a masked field; afterwards only "a key is set"), region, workspace id, rate
// plan, Test connection with its verdict, and the web requests used today.
import { PLAN_RATES } from "../../core/engine/pacing";
import type { ConnectionVerdict, RatePlan, SidebarState } from "../../core/views/sidebar-api";
import { byId, h, notice, replaceChildren, showResult } from "./dom";
import { callFailure, server } from "./server";

/** Whether a key is saved, as last told by the server: an empty Save key then leaves it as it is. */
let keySaved = false;

/**
 * The fields the person changed since the server's state was last drawn. On Apps Script the opening state can
 * arrive seconds after the tab is usable; drawing it must not wipe a key just pasted or a region just chosen.
 */
const editedFields = new Set<string>();
/** The fields Save settings saves, drawn from the server's state unless the person changed them first. */
const SETTING_FIELDS = ["region", "workspace", "rate-plan", "custom-rate", "keep-history"] as const;

function setUnlessEdited(id: string, value: string): void {
  if (!editedFields.has(id)) byId<HTMLInputElement | HTMLSelectElement>(id).value = value;
}

/** The key's part of the tab: whether a key is saved, the emptied key field, Remove key. */
function renderKeyStatus(state: SidebarState): void {
  keySaved = state.keySet;
  const status = byId("key-status");
  replaceChildren(
    status,
    state.keySet
      ? h("p", { class: "key-set" }, "✓ An API key is saved for you.")
      : h("p", { class: "key-unset" }, "No API key is saved yet."),
  );
  // The field is emptied by Save key itself, as the key leaves the page: here it keeps anything typed meanwhile.
  const keyField = byId<HTMLInputElement>("api-key");
  keyField.placeholder = state.keySet ? "Paste a new key to replace it" : "Paste your key";
  byId<HTMLButtonElement>("remove-key").hidden = !state.keySet;
}

/**
 * The whole tab from the server's state: the key's status and the connection fields (region, workspace, rate).
 * Only on opening and after Save settings: saving or removing the key leaves what the person typed there alone.
 */
export function renderSettings(state: SidebarState): void {
  renderKeyStatus(state);
  setUnlessEdited("region", state.settings.region);
  setUnlessEdited("workspace", state.settings.workspaceId);
  setUnlessEdited("rate-plan", state.settings.ratePlan);
  setUnlessEdited("custom-rate", String(state.settings.rate));
  byId("custom-rate-row").hidden = byId<HTMLSelectElement>("rate-plan").value !== "custom";
  if (!editedFields.has("keep-history"))
    byId<HTMLInputElement>("keep-history").checked = state.settings.keepHistory;
  showQuotaUsed(state.quota.line);
}

/** The count of today's web requests, as the server last told it (on opening and after each step of a job). */
export function showQuotaUsed(line: string): void {
  byId("quota-used").textContent = line;
}

function verdictNotice(verdict: ConnectionVerdict): HTMLElement {
  return notice(
    verdict.ok ? "ok" : "error",
    verdict.title,
    verdict.message,
    verdict.requestId ? h("p", { class: "meta" }, `Request id: ${verdict.requestId}`) : null,
  );
}

/** Wires the tab's buttons; `onState` gets each new state the server answers (the tab is redrawn here). */
export function wireSettingsPanel(onState: (state: SidebarState) => void): void {
  const keyArea = byId("key-area");
  const settingsArea = byId("settings-area");
  const keyField = byId<HTMLInputElement>("api-key");
  const run = async (
    button: HTMLButtonElement,
    area: HTMLElement,
    work: () => Promise<HTMLElement | null>,
  ) => {
    button.disabled = true;
    let result: HTMLElement | null;
    try {
      result = await work();
    } catch (error) {
      result = notice("error", "No answer from Google", callFailure(error));
    }
    button.disabled = false;
    showResult(area, result);
  };

  const saveKey = byId<HTMLButtonElement>("save-key");
  saveKey.addEventListener("click", () =>
    run(saveKey, keyArea, async () => {
      const typed = keyField.value;
      if (typed.trim() === "" && keySaved)
        return notice(
          "info",
          "Your saved key is unchanged",
          "The key field is empty, so nothing was saved. To replace your key, paste the new one, then press Save key.",
        );
      // The key leaves the page once, in this call; the field is emptied before the answer arrives.
      keyField.value = "";
      const reply = await server.saveApiKey(typed);
      if (!reply.ok) return notice("error", "Key not saved", reply.message);
      renderKeyStatus(reply.value);
      onState(reply.value);
      return notice("ok", "Key saved", "Press Test connection to check it works.");
    }),
  );
  keyField.addEventListener("keydown", (event) => {
    if (event.key === "Enter") saveKey.click();
  });

  const removeKey = byId<HTMLButtonElement>("remove-key");
  removeKey.addEventListener("click", () =>
    run(removeKey, keyArea, async () => {
      const reply = await server.forgetApiKey();
      if (!reply.ok) return notice("error", "Key not removed", reply.message);
      renderKeyStatus(reply.value);
      onState(reply.value);
      return notice("ok", "Key removed", "Your key is deleted from this add-on. Syncs need a key again.");
    }),
  );

  const plan = byId<HTMLSelectElement>("rate-plan");
  plan.addEventListener("change", () => {
    byId("custom-rate-row").hidden = plan.value !== "custom";
  });

  const saveSettings = byId<HTMLButtonElement>("save-settings");
  saveSettings.addEventListener("click", () =>
    run(saveSettings, settingsArea, async () => {
      const chosen = plan.value as RatePlan;
      const rate =
        chosen === "custom" ? Number(byId<HTMLInputElement>("custom-rate").value) : PLAN_RATES[chosen];
      const reply = await server.saveSettings({
        region: byId<HTMLSelectElement>("region").value as SidebarState["settings"]["region"],
        workspaceId: byId<HTMLInputElement>("workspace").value,
        rate,
        keepHistory: byId<HTMLInputElement>("keep-history").checked,
      });
      if (!reply.ok) return notice("error", "Settings not saved", reply.message);
      for (const id of SETTING_FIELDS) editedFields.delete(id);
      renderSettings(reply.value);
      onState(reply.value);
      return notice("ok", "Settings saved", "They apply to everyone who syncs this spreadsheet.");
    }),
  );

  // A verdict is about the fields as they were when tested: changing one makes it stale, so it goes.
  for (const id of ["api-key", "region", "workspace", "rate-plan", "custom-rate"]) {
    const field = byId(id);
    field.addEventListener("input", () => replaceChildren(settingsArea));
    field.addEventListener("change", () => replaceChildren(settingsArea));
  }
  for (const id of SETTING_FIELDS) {
    const field = byId(id);
    field.addEventListener("input", () => editedFields.add(id));
    field.addEventListener("change", () => editedFields.add(id));
  }

  const test = byId<HTMLButtonElement>("test-connection");
  test.addEventListener("click", () =>
    run(test, settingsArea, async () => {
      showResult(settingsArea, h("p", { class: "busy", role: "status" }, "Asking Extend…"));
      // What is on screen is tested; the server names what of it is not saved yet.
      const reply = await server.testConnection({
        region: byId<HTMLSelectElement>("region").value,
        workspaceId: byId<HTMLInputElement>("workspace").value,
        apiKey: keyField.value,
      });
      return reply.ok ? verdictNotice(reply.value) : notice("error", "The test could not run", reply.message);
    }),
  );
}
