// Building the sidebar's DOM. Text from the server or the sheet only ever becomes a text node, so a run name,
// a tag or an error message containing markup is shown as typed and never run.

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  [attribute: string]: string | number | boolean | undefined | ((event: Event) => void);
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, ""), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(
      typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child,
    );
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`sidebar: no #${id}`);
  return element as T;
}

/** A notice: "ok", "error" or "info", announced to screen readers when it changes. */
export function notice(kind: "ok" | "error" | "info", title: string, ...lines: Child[]): HTMLElement {
  return h(
    "div",
    { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" },
    h("strong", {}, title),
    ...lines.map((line) => (typeof line === "string" ? h("p", {}, line) : line)),
  );
}

/**
 * Moves the keyboard to `element` (the new prompt, result or next action) and scrolls it into view, so focus
 * never falls to the page when the pressed button is disabled or redrawn. A non-interactive element is made
 * focusable from script only (tabindex -1), so it adds no Tab stop.
 */
export function focusOn(element: HTMLElement | null | undefined): void {
  if (!element) return;
  if (!element.matches?.("button, input, select, textarea, a[href], [tabindex]"))
    element.setAttribute("tabindex", "-1");
  element.focus({ preventScroll: true });
  element.scrollIntoView?.({ block: "nearest" });
}

/** Replaces an area's content with a result and moves focus to it (see focusOn). */
export function showResult(area: HTMLElement, result: HTMLElement | null): void {
  replaceChildren(area, result);
  focusOn(result);
}

/**
 * "Go to Settings": the next action when the key or the workspace is the problem. It presses the Settings tab
 * itself, so the tabs' state stays with the tabs, then puts the keyboard in the key field.
 */
export function goToSettingsButton(): HTMLElement {
  return h(
    "button",
    {
      type: "button",
      class: "primary",
      onclick: () => {
        document.getElementById("tab-settings")?.click();
        focusOn(document.getElementById("api-key"));
      },
    },
    "Go to Settings",
  );
}
