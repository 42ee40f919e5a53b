// CacheService with Apps Script's limits and expiry. Expiry follows the host clock, which tests can move
// forward (host.clock.advance) instead of sleeping; with a real clock the script's own Date is not affected.
import type { HostClock } from "./clock.js";
import { type Execution, GasException, serviceObject, signatureError } from "./execution.js";
import { isPlainObject } from "./realm.js";

export const CACHE_KEY_LIMIT = 250;
export const CACHE_VALUE_LIMIT_BYTES = 100 * 1024;
export const CACHE_MAX_EXPIRATION_SECONDS = 21_600;
export const CACHE_MAX_ITEMS = 1000;

export interface CacheEntry {
  value: string;
  expiresAt: number;
}
type Entry = CacheEntry;

export class CacheStore {
  readonly entries = new Map<string, Entry>();
  /**
   * Told of every put and removal (undefined), e.g. to mirror the store into another host that runs other
   * executions in parallel (the playground's light calls); not of expiry or eviction.
   */
  onChange: ((key: string, entry: CacheEntry | undefined) => void) | undefined;

  constructor(private readonly clock: HostClock) {}

  get(key: string): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  put(key: string, value: string, seconds: number): void {
    const entry = { value, expiresAt: this.clock.now() + seconds * 1000 };
    this.entries.set(key, entry);
    if (this.entries.size > CACHE_MAX_ITEMS) this.evict();
    this.onChange?.(key, entry);
  }

  remove(key: string): void {
    this.entries.delete(key);
    this.onChange?.(key, undefined);
  }

  /** A change made to the same cache by another host's execution (see onChange): applied without telling. */
  mirror(key: string, entry: CacheEntry | undefined): void {
    if (entry) this.entries.set(key, { ...entry });
    else this.entries.delete(key);
  }

  /** Past 1,000 items Apps Script keeps the 900 farthest from expiry. */
  private evict(): void {
    const keep = [...this.entries].sort((a, b) => b[1].expiresAt - a[1].expiresAt).slice(0, 900);
    this.entries.clear();
    for (const [key, entry] of keep) this.entries.set(key, entry);
  }
}

export class CacheStores {
  readonly script: CacheStore;
  readonly document: CacheStore;
  private readonly users = new Map<string, CacheStore>();

  constructor(private readonly clock: HostClock) {
    this.script = new CacheStore(clock);
    this.document = new CacheStore(clock);
  }

  user(email: string): CacheStore {
    let store = this.users.get(email);
    if (!store) {
      store = new CacheStore(this.clock);
      this.users.set(email, store);
    }
    return store;
  }
}

const checkKey = (key: unknown, method: string): string => {
  if (typeof key !== "string") throw signatureError(`CacheService.Cache.${method}`, [key]);
  if (key.length > CACHE_KEY_LIMIT) throw new GasException("Argument too large: key");
  return key;
};

const checkValue = (value: unknown): string => {
  const text = String(value);
  if (Buffer.byteLength(text, "utf8") > CACHE_VALUE_LIMIT_BYTES)
    throw new GasException("Argument too large: value");
  return text;
};

const checkSeconds = (seconds: unknown): number => {
  if (seconds === undefined) return 600;
  if (typeof seconds !== "number" || !Number.isFinite(seconds))
    throw new GasException("Invalid argument: expirationInSeconds");
  if (seconds > CACHE_MAX_EXPIRATION_SECONDS)
    throw new GasException("Argument too large: expirationInSeconds");
  if (seconds < 1) throw new GasException("Invalid argument: expirationInSeconds");
  return seconds;
};

const makeCache = (exec: Execution, store: CacheStore): GoogleAppsScript.Cache.Cache =>
  serviceObject(exec, "Cache", {
    get: (key: string) => store.get(checkKey(key, "get")),
    getAll: (keys: string[]) => {
      if (!Array.isArray(keys)) throw signatureError("CacheService.Cache.getAll", [keys]);
      const found: [string, string][] = [];
      for (const key of keys) {
        const value = store.get(checkKey(key, "getAll"));
        if (value !== null) found.push([key, value]);
      }
      return exec.realm.object(found);
    },
    put: (key: string, value: string, expirationInSeconds?: number) => {
      store.put(checkKey(key, "put"), checkValue(value), checkSeconds(expirationInSeconds));
    },
    putAll: (values: { [key: string]: unknown }, expirationInSeconds?: number) => {
      if (!isPlainObject(values)) throw signatureError("CacheService.Cache.putAll", [values]);
      const seconds = checkSeconds(expirationInSeconds);
      const checked = Object.entries(values).map(([k, v]) => [checkKey(k, "putAll"), checkValue(v)] as const);
      for (const [key, value] of checked) store.put(key, value, seconds);
    },
    remove: (key: string) => {
      store.remove(checkKey(key, "remove"));
    },
    removeAll: (keys: string[]) => {
      if (!Array.isArray(keys)) throw signatureError("CacheService.Cache.removeAll", [keys]);
      for (const key of keys) store.remove(checkKey(key, "removeAll"));
    },
  } satisfies GoogleAppsScript.Cache.Cache);

export const makeCacheService = (exec: Execution, stores: CacheStores): GoogleAppsScript.Cache.CacheService =>
  serviceObject(exec, "CacheService", {
    getScriptCache: () => makeCache(exec, stores.script),
    getUserCache: () => makeCache(exec, stores.user(exec.userEmail)),
    getDocumentCache: () => makeCache(exec, stores.document),
  } satisfies GoogleAppsScript.Cache.CacheService);
