// PropertiesService with Apps Script's storage limits. The stores are plain Maps owned by the host, so they
// persist across executions and tests can seed or inspect them directly.
import { type Execution, GasException, serviceObject, signatureError } from "./execution.js";
import { isPlainObject } from "./realm.js";

export const PROPERTY_VALUE_LIMIT_BYTES = 9 * 1024;
export const PROPERTY_STORE_LIMIT_BYTES = 500 * 1024;
export const PROPERTY_QUOTA_MESSAGE =
  "You have exceeded the property storage quota. Please remove some properties and try again.";

export type PropertyStore = Map<string, string>;

/** Properties reads and writes per day (quotas page): 50,000 consumer, 500,000 Workspace. */
export interface PropertiesQuota {
  used: number;
  daily: number;
}

export const PROPERTIES_DAILY_QUOTA_MESSAGE = "Service invoked too many times for one day: properties.";

export interface PropertyStores {
  user: PropertyStore;
  document: PropertyStore;
  script: PropertyStore;
}

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");

const storeSize = (entries: Iterable<[string, string]>): number => {
  let total = 0;
  for (const [key, value] of entries) total += bytes(key) + bytes(value);
  return total;
};

const checkEntry = (method: string, key: unknown, value: unknown): [string, string] => {
  if (typeof key !== "string" || value === null || value === undefined)
    throw signatureError(method, [key, value]);
  if (key === "") throw new GasException("Invalid argument: key");
  const text = String(value);
  if (bytes(text) > PROPERTY_VALUE_LIMIT_BYTES) throw new GasException("Argument too large: value");
  return [key, text];
};

const makeProperties = (
  exec: Execution,
  store: PropertyStore,
  quota: PropertiesQuota,
): GoogleAppsScript.Properties.Properties => {
  const commit = (next: Map<string, string>) => {
    if (storeSize(next) > PROPERTY_STORE_LIMIT_BYTES) throw new GasException(PROPERTY_QUOTA_MESSAGE);
    store.clear();
    for (const [key, value] of next) store.set(key, value);
  };
  let self: GoogleAppsScript.Properties.Properties;
  const impl = {
    getProperty: (key: string) => {
      if (typeof key !== "string") throw signatureError("PropertiesService.Properties.getProperty", [key]);
      return store.get(key) ?? null;
    },
    getProperties: () => exec.realm.object(store) as { [key: string]: string },
    getKeys: () => exec.realm.array([...store.keys()]),
    setProperty: (key: string, value: string) => {
      const [k, v] = checkEntry("PropertiesService.Properties.setProperty", key, value);
      commit(new Map(store).set(k, v));
      return self;
    },
    setProperties: (properties: { [key: string]: string }, deleteAllOthers?: boolean) => {
      if (!isPlainObject(properties))
        throw signatureError("PropertiesService.Properties.setProperties", [properties]);
      const next = deleteAllOthers ? new Map<string, string>() : new Map(store);
      for (const [key, value] of Object.entries(properties)) {
        const [k, v] = checkEntry("PropertiesService.Properties.setProperties", key, value);
        next.set(k, v);
      }
      commit(next);
      return self;
    },
    deleteProperty: (key: string) => {
      store.delete(key);
      return self;
    },
    deleteAllProperties: () => {
      store.clear();
      return self;
    },
  } satisfies GoogleAppsScript.Properties.Properties;
  // Every read or write of a store counts against the daily quota, whether it succeeds or not.
  const counted = Object.fromEntries(
    Object.entries(impl).map(([name, method]) => [
      name,
      (...args: unknown[]) => {
        if (quota.used >= quota.daily) throw new GasException(PROPERTIES_DAILY_QUOTA_MESSAGE);
        quota.used += 1;
        return (method as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as typeof impl;
  self = serviceObject(exec, "Properties", counted);
  return self;
};

export const makePropertiesService = (
  exec: Execution,
  stores: PropertyStores,
  quota: PropertiesQuota,
): GoogleAppsScript.Properties.PropertiesService =>
  serviceObject(exec, "PropertiesService", {
    getUserProperties: () => makeProperties(exec, stores.user, quota),
    getDocumentProperties: () => makeProperties(exec, stores.document, quota),
    getScriptProperties: () => makeProperties(exec, stores.script, quota),
  } satisfies GoogleAppsScript.Properties.PropertiesService);
