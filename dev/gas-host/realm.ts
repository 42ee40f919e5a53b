// Values crossing between the host and one execution's vm context. Apps Script hands the script arrays, Dates
// and errors of the script's own realm, so `instanceof Array/Date/Error` in the add-on behaves as in production;
// values coming back are copied into the host realm so tests compare plain data.
import { types } from "node:util";
import vm from "node:vm";

interface RealmGlobals {
  Date: DateConstructor;
  Array: ArrayConstructor;
  Object: ObjectConstructor;
  Error: ErrorConstructor;
}

export class Realm {
  private readonly globals: RealmGlobals;

  constructor(context: vm.Context) {
    this.globals = vm.runInContext("({ Date, Array, Object, Error })", context) as RealmGlobals;
  }

  date(value: Date | number): Date {
    return new this.globals.Date(typeof value === "number" ? value : value.getTime());
  }

  array<T>(items: readonly T[]): T[] {
    return this.globals.Array.from(items, (item) => this.copy(item) as T);
  }

  object(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
    const out = new this.globals.Object() as Record<string, unknown>;
    for (const [key, value] of entries) out[key] = this.copy(value);
    return out;
  }

  error(message: string, name = "Exception"): Error {
    const error = new this.globals.Error(message);
    error.name = name;
    return error;
  }

  /** Deep copy of plain data into this realm; service objects and functions pass by reference. */
  copy(value: unknown): unknown {
    if (types.isDate(value)) return this.date(value);
    if (Array.isArray(value)) return this.array(value);
    if (isPlainObject(value)) return this.object(Object.entries(value));
    return value;
  }

  owns(value: unknown): boolean {
    return value instanceof this.globals.Object;
  }
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
};

export const isDate = (value: unknown): value is Date => types.isDate(value);

/** Deep copy of script data into the host realm (Dates, arrays, plain objects); anything else by reference. */
export const toHost = (value: unknown): unknown => {
  if (types.isDate(value)) return new Date(value.getTime());
  if (Array.isArray(value)) return Array.from(value, toHost);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toHost(v)]));
  return value;
};

/**
 * google.script.run's rules: primitives, null, arrays and plain objects only; Dates, functions and other
 * objects are illegal. Returns the path of the first illegal value, or null when the value may cross.
 */
export const illegalClientValue = (value: unknown, path = "", seen = new Set<object>()): string | null => {
  if (value === null || value === undefined) return null;
  const kind = typeof value;
  if (kind === "string" || kind === "number" || kind === "boolean") return null;
  if (kind !== "object") return path || "value";
  const object = value as object;
  if (seen.has(object)) return path || "value";
  if (!Array.isArray(object) && !isPlainObject(object)) return path || "value";
  seen.add(object);
  for (const [key, item] of Object.entries(object)) {
    const illegal = illegalClientValue(item, path ? `${path}.${key}` : key, seen);
    if (illegal !== null) return illegal;
  }
  seen.delete(object);
  return null;
};

/** The copy the other side receives: JSON-like, `undefined` array slots become null, undefined props vanish. */
export const clientCopy = (value: unknown): unknown => {
  if (value === undefined) return null;
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  if (Array.isArray(value)) return Array.from(value, (item) => clientCopy(item));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = clientCopy(item);
    return out;
  }
  return value;
};
