// Where the add-on keeps things: the API key in the user's own properties (no other editor can read it),
// shared settings and the running sync's state in the document's properties.
import { MAX_MARKS_REMEMBERED, parseJob, type SyncJob } from "../core/engine/job";
import { type Settings, settingsFromStrings } from "../core/views/settings";
import { noteQuotaRecord } from "./quota-count";

const API_KEY = "extendSync.apiKey";
const JOB = "extendSync.job";
const MARKS = "extendSync.jobMarks";
const SETTING_PREFIX = "extendSync.setting.";

export type SettingName =
  | "region"
  | "workspaceId"
  | "rate"
  | "executionBudgetSeconds"
  | "executionLimitSeconds"
  | "baseUrl"
  | "keepHistory";

export const apiKeyStore = {
  /** One read of all the user's properties, which also hands today's request count to quota-count.ts. */
  get(): string | undefined {
    const all = PropertiesService.getUserProperties().getProperties();
    noteQuotaRecord(all);
    return all[API_KEY];
  },
  set(key: string): void {
    PropertiesService.getUserProperties().setProperty(API_KEY, key);
  },
  remove(): void {
    PropertiesService.getUserProperties().deleteProperty(API_KEY);
  },
};

export const settingsStore = {
  load(): Settings {
    const all = PropertiesService.getDocumentProperties().getProperties();
    const saved: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(all)) {
      if (key.startsWith(SETTING_PREFIX)) saved[key.slice(SETTING_PREFIX.length)] = value;
    }
    return settingsFromStrings(saved);
  },
  set(name: SettingName, value: string | undefined): void {
    settingsStore.setAll({ [name]: value });
  },
  /** Saves several settings in one write (an empty or missing value removes its setting). */
  setAll(values: Partial<Record<SettingName, string | undefined>>): void {
    const properties = PropertiesService.getDocumentProperties();
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined || value === "") properties.deleteProperty(SETTING_PREFIX + name);
      else kept[SETTING_PREFIX + name] = value;
    }
    if (Object.keys(kept).length > 0) properties.setProperties(kept);
  },
};

export const jobStore = {
  load(): SyncJob | undefined {
    return parseJob(PropertiesService.getDocumentProperties().getProperty(JOB));
  },
  save(job: SyncJob): void {
    PropertiesService.getDocumentProperties().setProperty(JOB, JSON.stringify(job));
  },
  /**
   * Removes the job. Its marks stay behind: they carry the job's id, which no later job has (loadMarks checks it),
   * and the next job's saveWithMarks replaces them, so one property delete (~60 ms) ends a job instead of two.
   * Called only under the document lock by the execution whose claim the saved job still carries
   * (job-claim.ts).
   */
  remove(): void {
    PropertiesService.getDocumentProperties().deleteProperty(JOB);
  },
  /**
   * A new job and the tags of its marked rows in one write (~60 ms instead of two). Too many tags to fit one
   * property are not kept (see MAX_MARKS_REMEMBERED): an empty value then replaces an older job's marks, which
   * loadMarks reads as unknown.
   */
  saveWithMarks(job: SyncJob, tags: readonly string[]): void {
    PropertiesService.getDocumentProperties().setProperties({
      [JOB]: JSON.stringify(job),
      [MARKS]: tags.length > MAX_MARKS_REMEMBERED ? "" : `${job.id} ${tags.join(" ")}`,
    });
  },
  /** What loadMarks will read back of the tags saveWithMarks was given: the execution that saved them needs no read. */
  marksAsSaved(tags: readonly string[]): Set<string> | undefined {
    return tags.length > MAX_MARKS_REMEMBERED ? undefined : new Set(tags);
  },
  loadMarks(jobId: string): Set<string> | undefined {
    const text = PropertiesService.getDocumentProperties().getProperty(MARKS);
    if (!text) return undefined;
    const words = text.split(" ");
    return words[0] === jobId ? new Set(words.slice(1)) : undefined;
  },
};
