// Which sheet cells a Range service object stands for. Kept outside the object so the script cannot see or
// forge it, and so builders and RangeLists can accept only ranges the host made.
import type { GridRange } from "./a1.js";
import type { SheetModel } from "./sheet-model.js";

export interface RangeRef {
  sheet: SheetModel;
  grid: GridRange;
}

const refs = new WeakMap<object, RangeRef>();

export const registerRange = (range: object, ref: RangeRef): void => {
  refs.set(range, ref);
};

export const rangeRefOf = (value: unknown): RangeRef | undefined =>
  typeof value === "object" && value !== null ? refs.get(value) : undefined;
