// Walks over JSON values that came from a server or a pasted json: cell, without recursion: Extend accepts
// metadata nested thousands of levels deep (10 KB of "[" is 5,000 levels), which JSON.parse reads but
// JSON.stringify and any recursive walk overflow the call stack on, taking the whole job down with one row.
// Each walk here keeps its own stack, and the writer stops once it has written what a cell could ever show.
import type { JsonValue } from "../../extend/api";

/** What jsonText wrote: JSON text, and whether it stopped before the end of the value. */
export interface JsonText {
  text: string;
  cut: boolean;
}

type Frame =
  | { kind: "array"; items: readonly unknown[]; next: number }
  | {
      kind: "object";
      record: Readonly<Record<string, unknown>>;
      keys: string[];
      next: number;
      written: number;
    };

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A leaf as JSON.stringify writes it; undefined for what JSON leaves out (functions, undefined). */
function leafText(value: unknown): string | undefined {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  return undefined;
}

/**
 * The value as JSON.stringify writes it, but at most about `maxChars` characters long (then `cut`), at any
 * depth. `skipTopKey` leaves one key of a top-level object out, as if it were not there.
 */
export function jsonText(value: unknown, maxChars: number, skipTopKey?: string): JsonText {
  let text = "";
  const stack: Frame[] = [];
  const full = () => text.length >= maxChars;
  /** Writes a value: a leaf whole (a runaway text only up to the limit), a container's opening. */
  const open = (item: unknown, inArray: boolean): void => {
    if (Array.isArray(item)) {
      text += "[";
      stack.push({ kind: "array", items: item, next: 0 });
    } else if (isRecord(item)) {
      text += "{";
      const top = stack.length === 0;
      const keys = Object.keys(item).filter((key) => !(top && key === skipTopKey));
      stack.push({ kind: "object", record: item, keys, next: 0, written: 0 });
    } else if (typeof item === "string" && item.length > maxChars) {
      text += JSON.stringify(item.slice(0, maxChars));
    } else text += leafText(item) ?? (inArray ? "null" : "");
  };
  open(value, false);
  while (stack.length > 0) {
    if (full()) return { text: text.slice(0, maxChars), cut: true };
    const frame = stack[stack.length - 1] as Frame;
    if (frame.kind === "array") {
      if (frame.next >= frame.items.length) {
        text += "]";
        stack.pop();
        continue;
      }
      if (frame.next > 0) text += ",";
      open(frame.items[frame.next++], true);
      continue;
    }
    // Object keys whose value JSON leaves out are skipped, commas and all, as JSON.stringify does.
    let key: string | undefined;
    while (frame.next < frame.keys.length && key === undefined) {
      const candidate = frame.keys[frame.next++] as string;
      const item = frame.record[candidate];
      if (typeof item === "object" || leafText(item) !== undefined) key = candidate;
    }
    if (key === undefined) {
      text += "}";
      stack.pop();
      continue;
    }
    if (frame.written++ > 0) text += ",";
    text += `${JSON.stringify(key.length > maxChars ? key.slice(0, maxChars) : key)}:`;
    open(frame.record[key], false);
  }
  return full() ? { text: text.slice(0, maxChars), cut: text.length > maxChars } : { text, cut: false };
}

/**
 * Whether two JSON values are equal as Extend stores them: objects by their keys whatever their order, lists
 * item by item, leaves as JSON writes them. Stops at the first difference, so a huge value costs little.
 */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const pending: [unknown, unknown][] = [[a, b]];
  while (pending.length > 0) {
    const [left, right] = pending.pop() as [unknown, unknown];
    if (Array.isArray(left) || Array.isArray(right)) {
      if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
      for (let index = 0; index < left.length; index++) pending.push([left[index], right[index]]);
    } else if (isRecord(left) || isRecord(right)) {
      if (!isRecord(left) || !isRecord(right)) return false;
      const keys = Object.keys(left);
      if (keys.length !== Object.keys(right).length) return false;
      for (const key of keys) {
        if (Object.getOwnPropertyDescriptor(right, key) === undefined) return false;
        pending.push([left[key], right[key]]);
      }
    } else if ((leafText(left) ?? "null") !== (leafText(right) ?? "null")) return false;
  }
  return true;
}

/** How many lists and objects a value nests (a leaf is 0, `[]` and `[1]` are 1), counted up to `limit` + 1. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [item, level] = pending.pop() as [unknown, number];
    const isArray = Array.isArray(item);
    if (!isArray && !isRecord(item)) continue;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    if (isArray) for (const child of item) pending.push([child, level + 1]);
    else for (const key of Object.keys(item)) pending.push([item[key], level + 1]);
  }
  return deepest;
}
