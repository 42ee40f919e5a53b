// The Settings tab's "Check this spreadsheet": runs the platform check (src/app/platform-check.ts), shows its
// report in a read-only box, moves focus to the result, and Copy report puts the text on the clipboard (or,
// where the browser refuses that, selects it for Ctrl+C).
import type { PlatformCheckView } from "../../core/views/platform-report";
import { byId, h, notice, replaceChildren } from "./dom";
import { callFailure, server } from "./server";

function copyButton(box: HTMLTextAreaElement, said: HTMLElement): HTMLButtonElement {
  const selectIt = () => {
    box.focus();
    box.select();
    said.textContent = "The report is selected: press Ctrl+C (Cmd+C on a Mac) to copy it.";
  };
  return h(
    "button",
    {
      type: "button",
      id: "copy-report",
      onclick: () => {
        if (!navigator.clipboard?.writeText) return selectIt();
        navigator.clipboard.writeText(box.value).then(() => {
          said.textContent = "Report copied. Paste it into your support ticket.";
        }, selectIt);
      },
    },
    "Copy report",
  );
}

function result(view: PlatformCheckView): HTMLElement {
  const box = h("textarea", { id: "platform-report", readonly: true, rows: 14, spellcheck: "false" });
  box.value = view.text;
  const said = h("p", { id: "copy-status", role: "status" });
  return h(
    "div",
    { class: "platform-result" },
    h("h3", { id: "platform-result-title", tabindex: -1 }, "Check finished"),
    h(
      "p",
      {},
      "Your sheets were not changed and nothing was sent to Extend to update. Copy the report into a support ticket if you are asked for it.",
    ),
    h("label", { for: "platform-report" }, "Report"),
    box,
    h("div", { class: "buttons" }, copyButton(box, said)),
    said,
  );
}

export function wirePlatformPanel(): void {
  const button = byId<HTMLButtonElement>("platform-check");
  const area = byId("platform-area");
  button.addEventListener("click", async () => {
    button.disabled = true;
    replaceChildren(
      area,
      h("p", { class: "busy", role: "status" }, "Checking this spreadsheet (up to a minute)…"),
    );
    try {
      const reply = await server.platformCheck();
      if (!reply.ok) {
        replaceChildren(area, notice("error", "The check could not run", reply.message));
        return;
      }
      replaceChildren(area, result(reply.value));
      byId("platform-result-title").focus();
    } catch (error) {
      replaceChildren(area, notice("error", "No answer", callFailure(error)));
    } finally {
      button.disabled = false;
    }
  });
}
