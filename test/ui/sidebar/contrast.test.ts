// Text contrast of every colour pair in sidebar.css, hover and focus states included: axe-core checks only the
// state a page is in when it scans, so a hover colour (#1a73e8 on #f1f6fe, 4.15:1) escaped it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CSS = readFileSync(join(import.meta.dirname, "../../../src/ui/sidebar/sidebar.css"), "utf8");
const WHITE = "#fff";
/** Rules for boxes that never hold text: the progress bar's fill. */
const NO_TEXT = new Set([".progress", ".progress > div", ".progress.paused > div"]);

interface Rule {
  selector: string;
  declarations: Map<string, string>;
}

function rules(css: string): Rule[] {
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, "");
  return [...withoutComments.matchAll(/([^{}]+)\{([^}]*)\}/g)].flatMap(([, selectors = "", body = ""]) => {
    const declarations = new Map(
      body
        .split(";")
        .map((part) => part.split(":").map((side) => side.trim()))
        .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== "")
        .map(([name, value]) => [name, value] as [string, string]),
    );
    return selectors.split(",").map((selector) => ({ selector: selector.trim(), declarations }));
  });
}

function hex(colour: string): [number, number, number] | null {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim());
  if (!match?.[1]) return null;
  const digits = match[1].length === 3 ? [...match[1]].map((digit) => digit + digit).join("") : match[1];
  return [0, 2, 4].map((at) => Number.parseInt(digits.slice(at, at + 2), 16)) as [number, number, number];
}

/** WCAG 2 relative luminance and contrast ratio. */
function luminance([r, g, b]: [number, number, number]): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(foreground: string, background: string): number {
  const [fg, bg] = [hex(foreground), hex(background)];
  if (!fg || !bg) throw new Error(`not a hex colour: ${foreground} / ${background}`);
  const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** A colour, or the background the element shows through ("none", "transparent": the white page). */
function background(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value === "none" || value === "transparent" ? WHITE : value;
}

/** Each rule's text and background colour, a state's missing one taken from its selector without the state. */
function pairs(): { selector: string; foreground: string; background: string }[] {
  const all = rules(CSS);
  const find = (selector: string) => all.filter((rule) => rule.selector === selector);
  const property = (selector: string, name: string): string | undefined =>
    find(selector)
      .map((rule) => rule.declarations.get(name))
      .filter((value) => value !== undefined)
      .at(-1);
  return all.flatMap(({ selector, declarations }) => {
    const base = selector.replace(/:(hover|focus-visible|focus|active)/g, "");
    const inherited = /^button\b/.test(base) ? property("button", "color") : property("body", "color");
    const foreground = declarations.get("color") ?? property(base, "color") ?? inherited;
    const back =
      background(declarations.get("background")) ?? background(property(base, "background")) ?? WHITE;
    if (NO_TEXT.has(selector) || (!declarations.has("color") && !declarations.has("background"))) return [];
    if (!foreground || !hex(foreground) || !hex(back)) return [];
    return [{ selector, foreground, background: back }];
  });
}

describe("the sidebar's colours", () => {
  it("computes WCAG contrast as axe-core does", () => {
    expect(contrast("#1a73e8", "#f1f6fe")).toBeCloseTo(4.15, 2);
    expect(contrast("#000", "#fff")).toBeCloseTo(21, 5);
  });

  it("finds the hover and focus states among the pairs it checks", () => {
    const selectors = pairs().map((pair) => pair.selector);
    expect(selectors).toContain("button:hover");
    expect(selectors).toContain("button.primary:hover");
  });

  it("gives every text colour at least 4.5:1 against its background, in every state", () => {
    const low = pairs()
      .map((pair) => ({ ...pair, ratio: Math.round(contrast(pair.foreground, pair.background) * 100) / 100 }))
      .filter((pair) => pair.ratio < 4.5);
    expect(low).toEqual([]);
  });
});
