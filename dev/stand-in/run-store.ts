// A Map of runs that builds each seeded run only when first touched. Building 20,000 complete runs is mostly
// garbage-collector time; a sync that updates a few hundred of them should not pay for the rest.
import type { StoredRun } from "./types.js";

export class LazyRunMap extends Map<string, StoredRun> {
  /** Seeded ids not built yet, with their position in the seeded order. */
  private readonly unbuilt = new Map<string, number>();

  constructor(
    private readonly seededIds: readonly string[],
    private readonly build: (id: string, index: number) => StoredRun,
  ) {
    super();
    this.restoreSeeded();
  }

  /** Back to exactly the seeded runs, unbuilt again; whatever was added, changed or deleted is forgotten. */
  restoreSeeded(): void {
    super.clear();
    this.seededIds.forEach((id, index) => {
      this.unbuilt.set(id, index);
    });
  }

  override get size(): number {
    return super.size + this.unbuilt.size;
  }

  override get(id: string): StoredRun | undefined {
    const index = this.unbuilt.get(id);
    if (index !== undefined) {
      this.unbuilt.delete(id);
      super.set(id, this.build(id, index));
    }
    return super.get(id);
  }

  override has(id: string): boolean {
    return this.unbuilt.has(id) || super.has(id);
  }

  override set(id: string, run: StoredRun): this {
    this.unbuilt.delete(id);
    return super.set(id, run);
  }

  override delete(id: string): boolean {
    return this.unbuilt.delete(id) || super.delete(id);
  }

  override clear(): void {
    this.unbuilt.clear();
    super.clear();
  }

  override forEach(
    callback: (run: StoredRun, id: string, map: Map<string, StoredRun>) => void,
    thisArg?: unknown,
  ) {
    this.buildAll();
    super.forEach(callback, thisArg);
  }

  override entries(): MapIterator<[string, StoredRun]> {
    this.buildAll();
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.buildAll();
    return super.keys();
  }

  override values(): MapIterator<StoredRun> {
    this.buildAll();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, StoredRun]> {
    return this.entries();
  }

  /** Iterating needs every run; keeps the seeded order, then runs added later in the order they came. */
  private buildAll(): void {
    if (this.unbuilt.size === 0) return;
    const built = new Map(super.entries());
    super.clear();
    for (const id of this.seededIds) {
      const index = this.unbuilt.get(id);
      const run = index === undefined ? built.get(id) : this.build(id, index);
      if (run === undefined) continue; // deleted
      super.set(id, run);
      built.delete(id);
    }
    this.unbuilt.clear();
    for (const [id, run] of built) super.set(id, run);
  }
}
