// A minimal stand-in for the browser's document, enough for the sidebar's DOM helpers (src/ui/sidebar/dom.ts)
// in unit tests without a browser: elements with attributes, children, text, listeners and ids.

type Listener = (event: { type: string; preventDefault(): void }) => unknown;

export class FakeNode {
  parentNode: FakeElement | null = null;
  constructor(public data = "") {}
  get textContent(): string {
    return this.data;
  }
}

export class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  readonly childNodes: FakeNode[] = [];
  private readonly listeners = new Map<string, Listener[]>();
  hidden = false;
  readonly style: Record<string, string> = {};
  disabled = false;
  tabIndex = 0;
  value = "";
  checked = false;
  constructor(readonly tagName: string) {
    super();
  }
  get id(): string {
    return this.attributes.get("id") ?? "";
  }
  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  override get textContent(): string {
    return this.childNodes.map((child) => child.textContent).join(" ");
  }
  override set textContent(text: string) {
    this.childNodes.length = 0;
    this.appendChild(new FakeNode(text));
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  appendChild(child: FakeNode): FakeNode {
    child.parentNode?.removeChild(child);
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  removeChild(child: FakeNode): FakeNode {
    const index = this.childNodes.indexOf(child);
    if (index >= 0) this.childNodes.splice(index, 1);
    child.parentNode = null;
    return child;
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  /** Runs the listeners of `type` and waits for what they return. */
  async dispatch(type: string): Promise<void> {
    for (const listener of this.listeners.get(type) ?? [])
      await listener({ type, preventDefault: () => undefined });
  }
  focus(): void {}
  /** Every element under this one, depth first. */
  descendants(): FakeElement[] {
    return this.childNodes.flatMap((child) =>
      child instanceof FakeElement ? [child, ...child.descendants()] : [],
    );
  }
  /** Buttons (and any element) under this one whose text is exactly `text`. */
  byText(tag: string, text: string): FakeElement[] {
    return this.descendants().filter((element) => element.tagName === tag && element.textContent === text);
  }
}

export class FakeDocument {
  readonly body = new FakeElement("body");
  readyState = "complete";
  createElement(tag: string): FakeElement {
    return new FakeElement(tag);
  }
  createTextNode(text: string): FakeNode {
    return new FakeNode(text);
  }
  getElementById(id: string): FakeElement | null {
    return this.body.descendants().find((element) => element.id === id) ?? null;
  }
  addEventListener(): void {}
  querySelector(): null {
    return null;
  }
  querySelectorAll(): FakeElement[] {
    return [];
  }
}

/** Installs a fresh fake document as the global `document`; returns it. */
export function installFakeDocument(): FakeDocument {
  const fake = new FakeDocument();
  (globalThis as unknown as { document: FakeDocument }).document = fake;
  return fake;
}

/** An element with an id, added to the fake document's body. */
export function addElement(doc: FakeDocument, tag: string, id: string): FakeElement {
  const element = doc.createElement(tag);
  element.setAttribute("id", id);
  doc.body.appendChild(element);
  return element;
}

/** Casts a fake element to the DOM type the code under test expects. */
export const asHtml = <T = HTMLElement>(element: FakeElement): T => element as unknown as T;
