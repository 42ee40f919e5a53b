// SpreadsheetApp.getUi(): menus are recorded as a tree so tests can click them by caption; alerts and prompts
// are answered from a queue the test fills (nothing queued: alerts press OK/YES, or CANCEL/NO when
// declineUnansweredAlerts is set; prompts press CANCEL, or NO / the close box when the button set has no
// CANCEL); sidebars, dialogs and toasts are captured with their HTML.
// An add-on shows one sidebar or dialog at a time (developers.google.com/workspace/add-ons/concepts/dialogs):
// showing one closes the one on screen, and a page that drives work from there (the sidebar's loop) stops.
import { asDeclaredEnum, Button, ButtonSet, type EnumValue } from "./enums.js";
import { type Execution, serviceObject, signatureError } from "./execution.js";
import { htmlOutputStateOf } from "./html.js";

export type ButtonName = "CLOSE" | "OK" | "CANCEL" | "YES" | "NO";
export type ButtonSetName = "OK" | "OK_CANCEL" | "YES_NO" | "YES_NO_CANCEL";

export type MenuEntry =
  | { type: "item"; caption: string; functionName: string }
  | { type: "separator" }
  | { type: "submenu"; caption: string; items: MenuEntry[] };

export interface MenuRecord {
  /** The add-on menu's caption is the add-on name in Sheets; here it is null. */
  caption: string | null;
  addon: boolean;
  items: MenuEntry[];
  executionId: string;
}

export interface DialogRecord {
  kind: "alert" | "prompt";
  title: string | null;
  prompt: string;
  buttons: ButtonSetName;
  answer: ButtonName;
  /** prompts only */
  responseText?: string;
  executionId: string;
}

export interface HtmlShownRecord {
  kind: "sidebar" | "modal" | "modeless";
  title: string;
  html: string;
  width: number | undefined;
  height: number | undefined;
  executionId: string;
  /** Still on screen: false once the user closed it or the add-on showed another sidebar or dialog. */
  open: boolean;
  /** What closed it: "user", or the kind and title of the window shown in its place. */
  closedBy?: string;
}

export interface ToastRecord {
  message: string;
  title: string;
  timeoutSeconds: number | null;
  executionId: string;
}

export interface UiAnswer {
  button: ButtonName;
  text?: string;
}

const buttonsOf: Record<ButtonSetName, ButtonName[]> = {
  OK: ["OK"],
  OK_CANCEL: ["OK", "CANCEL"],
  YES_NO: ["YES", "NO"],
  YES_NO_CANCEL: ["YES", "NO", "CANCEL"],
};

/** Everything the add-on showed or built in the editor UI, across executions. */
export class UiLog {
  readonly menus: MenuRecord[] = [];
  readonly dialogs: DialogRecord[] = [];
  readonly shown: HtmlShownRecord[] = [];
  readonly toasts: ToastRecord[] = [];
  private readonly answers: UiAnswer[] = [];
  /** With nothing queued, an alert that offers a choice presses CANCEL (or NO) instead of its first button. */
  declineUnansweredAlerts = false;

  /** Queues the user's answer to the next alert or prompt. */
  answerNext(answer: UiAnswer): this {
    this.answers.push(answer);
    return this;
  }

  get pendingAnswers(): readonly UiAnswer[] {
    return this.answers;
  }

  get alerts(): DialogRecord[] {
    return this.dialogs.filter((d) => d.kind === "alert");
  }

  get prompts(): DialogRecord[] {
    return this.dialogs.filter((d) => d.kind === "prompt");
  }

  get sidebars(): HtmlShownRecord[] {
    return this.shown.filter((s) => s.kind === "sidebar");
  }

  get modalDialogs(): HtmlShownRecord[] {
    return this.shown.filter((s) => s.kind !== "sidebar");
  }

  /** The last sidebar shown (it may have been closed since: see openWindow). */
  get sidebar(): HtmlShownRecord | undefined {
    return this.sidebars.at(-1);
  }

  /** The add-on's sidebar or dialog on screen now, if any: there is at most one. */
  get openWindow(): HtmlShownRecord | undefined {
    return this.shown.find((record) => record.open);
  }

  /** Records `record` as shown; the window on screen before it closes, as in Sheets. */
  showWindow(record: Omit<HtmlShownRecord, "open" | "closedBy">): HtmlShownRecord {
    const previous = this.openWindow;
    const shown: HtmlShownRecord = { ...record, open: true };
    if (previous) this.close(previous, `${record.kind} "${record.title}"`);
    this.shown.push(shown);
    return shown;
  }

  /** The user closes the window on screen (its close box), as closing the sidebar does. */
  closeWindow(): void {
    const open = this.openWindow;
    if (open) this.close(open, "user");
  }

  private close(record: HtmlShownRecord, by: string): void {
    record.open = false;
    record.closedBy = by;
  }

  get addonMenu(): MenuRecord | undefined {
    return this.menus.find((menu) => menu.addon);
  }

  /** The function name a menu item with this caption runs, searching submenus; undefined if none. */
  findMenuItem(caption: string): string | undefined {
    const search = (items: MenuEntry[]): string | undefined => {
      for (const item of items) {
        if (item.type === "item" && item.caption === caption) return item.functionName;
        if (item.type === "submenu") {
          const found = search(item.items);
          if (found !== undefined) return found;
        }
      }
      return undefined;
    };
    for (const menu of this.menus) {
      const found = search(menu.items);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Every caption of every menu item, for error messages. */
  menuCaptions(): string[] {
    const out: string[] = [];
    const walk = (items: MenuEntry[]) => {
      for (const item of items) {
        if (item.type === "item") out.push(item.caption);
        if (item.type === "submenu") walk(item.items);
      }
    };
    for (const menu of this.menus) walk(menu.items);
    return out;
  }

  takeAnswer(kind: "alert" | "prompt", buttons: ButtonSetName): UiAnswer {
    const queued = this.answers.shift();
    if (queued) {
      if (queued.button !== "CLOSE" && !buttonsOf[buttons].includes(queued.button)) {
        throw new Error(
          `gas-host: the queued UI answer ${queued.button} is not a button of ButtonSet.${buttons} (${kind})`,
        );
      }
      return queued;
    }
    const offered = buttonsOf[buttons];
    if (kind === "alert" && this.declineUnansweredAlerts && offered.length > 1)
      return { button: offered.includes("CANCEL") ? "CANCEL" : "NO" };
    if (kind === "alert") return { button: offered[0] ?? "OK" };
    return { button: offered.includes("CANCEL") ? "CANCEL" : offered.includes("NO") ? "NO" : "CLOSE" };
  }

  clear(): void {
    this.menus.length = 0;
    this.dialogs.length = 0;
    this.shown.length = 0;
    this.toasts.length = 0;
    this.answers.length = 0;
  }
}

const buttonSetName = (value: unknown): ButtonSetName | undefined => {
  const name = String(value);
  return name in buttonsOf && typeof value !== "number" ? (name as ButtonSetName) : undefined;
};

const menuStates = new WeakMap<object, { caption: string | null; addon: boolean; items: MenuEntry[] }>();

const copyItems = (items: MenuEntry[]): MenuEntry[] =>
  items.map((item) => (item.type === "submenu" ? { ...item, items: copyItems(item.items) } : { ...item }));

export const makeUi = (exec: Execution, log: UiLog): GoogleAppsScript.Base.Ui => {
  const dialogArgs = (method: string, args: unknown[]) => {
    const [a, b, c] = args;
    if (args.length === 0 || args.length > 3 || typeof a !== "string")
      throw signatureError(`Ui.${method}`, args);
    if (args.length === 1) return { title: null, prompt: a, buttons: "OK" as ButtonSetName };
    if (args.length === 2) {
      const buttons = buttonSetName(b);
      if (!buttons) throw signatureError(`Ui.${method}`, args);
      return { title: null, prompt: a, buttons };
    }
    const buttons = buttonSetName(c);
    if (!buttons || typeof b !== "string") throw signatureError(`Ui.${method}`, args);
    return { title: a, prompt: b, buttons };
  };

  const makeMenu = (caption: string | null, addon: boolean): GoogleAppsScript.Base.Menu => {
    const state = { caption, addon, items: [] as MenuEntry[] };
    let self: GoogleAppsScript.Base.Menu;
    const impl = {
      addItem: (itemCaption: string, functionName: string) => {
        if (typeof itemCaption !== "string" || typeof functionName !== "string") {
          throw signatureError("Menu.addItem", [itemCaption, functionName]);
        }
        state.items.push({ type: "item", caption: itemCaption, functionName });
        return self;
      },
      addSeparator: () => {
        state.items.push({ type: "separator" });
        return self;
      },
      addSubMenu: (menu: GoogleAppsScript.Base.Menu) => {
        const sub = menuStates.get(menu);
        if (!sub || sub.caption === null) throw signatureError("Menu.addSubMenu", [menu]);
        state.items.push({ type: "submenu", caption: sub.caption, items: copyItems(sub.items) });
        return self;
      },
      addToUi: () => {
        const index = log.menus.findIndex((m) => m.addon === state.addon && m.caption === state.caption);
        const record = {
          caption: state.caption,
          addon: state.addon,
          items: copyItems(state.items),
          executionId: exec.id,
        };
        if (index >= 0) log.menus.splice(index, 1, record);
        else log.menus.push(record);
      },
    } satisfies GoogleAppsScript.Base.Menu;
    self = serviceObject(exec, "Menu", impl);
    menuStates.set(self, state);
    return self;
  };

  const show = (kind: HtmlShownRecord["kind"], method: string, output: unknown, title?: unknown) => {
    const state = htmlOutputStateOf(output);
    if (!state || (kind !== "sidebar" && typeof title !== "string")) {
      throw signatureError(`Ui.${method}`, title === undefined ? [output] : [output, title]);
    }
    log.showWindow({
      kind,
      title: kind === "sidebar" ? state.title : String(title),
      html: state.content,
      width: state.width,
      height: state.height,
      executionId: exec.id,
    });
  };

  const button = (name: ButtonName): GoogleAppsScript.Base.Button =>
    asDeclaredEnum<GoogleAppsScript.Base.Button>((Button as Record<string, EnumValue>)[name]);

  const impl = {
    Button: asDeclaredEnum<typeof GoogleAppsScript.Base.Button>(Button),
    ButtonSet: asDeclaredEnum<typeof GoogleAppsScript.Base.ButtonSet>(ButtonSet),
    alert: (...args: unknown[]) => {
      const { title, prompt, buttons } = dialogArgs("alert", args);
      const answer = log.takeAnswer("alert", buttons);
      log.dialogs.push({
        kind: "alert",
        title,
        prompt,
        buttons,
        answer: answer.button,
        executionId: exec.id,
      });
      return button(answer.button);
    },
    prompt: (...args: unknown[]) => {
      const { title, prompt, buttons } = dialogArgs("prompt", args);
      const answer = log.takeAnswer("prompt", buttons);
      const responseText = answer.text ?? "";
      log.dialogs.push({
        kind: "prompt",
        title,
        prompt,
        buttons,
        answer: answer.button,
        responseText,
        executionId: exec.id,
      });
      return serviceObject(exec, "PromptResponse", {
        getResponseText: () => responseText,
        getSelectedButton: () => button(answer.button),
      } satisfies GoogleAppsScript.Base.PromptResponse);
    },
    createAddonMenu: () => makeMenu(null, true),
    createMenu: (caption: string) => {
      if (typeof caption !== "string") throw signatureError("Ui.createMenu", [caption]);
      return makeMenu(caption, false);
    },
    showSidebar: (output: GoogleAppsScript.HTML.HtmlOutput) => show("sidebar", "showSidebar", output),
    showModalDialog: (output: GoogleAppsScript.HTML.HtmlOutput, title: string) =>
      show("modal", "showModalDialog", output, title),
    showModelessDialog: (output: GoogleAppsScript.HTML.HtmlOutput, title: string) =>
      show("modeless", "showModelessDialog", output, title),
  } satisfies Partial<GoogleAppsScript.Base.Ui>;
  return serviceObject(exec, "Ui", impl) as GoogleAppsScript.Base.Ui;
};
