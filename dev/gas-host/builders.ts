// Data validation and conditional format builders. The host does not enforce either rule; it records what the
// add-on asked for so tests can assert it, with the criteria names Apps Script reports.
import { DataValidationCriteria, type EnumValue, makeEnum } from "./enums.js";
import { type Execution, GasException, serviceObject, signatureError } from "./execution.js";
import type { RangeRef } from "./range-ref.js";
import type { ValidationRecord } from "./sheet-model.js";

export const BooleanCriteria = makeEnum([
  "CELL_EMPTY",
  "CELL_NOT_EMPTY",
  "DATE_AFTER",
  "DATE_BEFORE",
  "DATE_EQUAL_TO",
  "DATE_NOT_EQUAL_TO",
  "DATE_AFTER_RELATIVE",
  "DATE_BEFORE_RELATIVE",
  "DATE_EQUAL_TO_RELATIVE",
  "NUMBER_BETWEEN",
  "NUMBER_EQUAL_TO",
  "NUMBER_GREATER_THAN",
  "NUMBER_GREATER_THAN_OR_EQUAL_TO",
  "NUMBER_LESS_THAN",
  "NUMBER_LESS_THAN_OR_EQUAL_TO",
  "NUMBER_NOT_BETWEEN",
  "NUMBER_NOT_EQUAL_TO",
  "TEXT_CONTAINS",
  "TEXT_DOES_NOT_CONTAIN",
  "TEXT_EQUAL_TO",
  "TEXT_NOT_EQUAL_TO",
  "TEXT_STARTS_WITH",
  "TEXT_ENDS_WITH",
  "CUSTOM_FORMULA",
]);

const snake = (camel: string): string => camel.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();

const requireCriteria: Record<string, string> = {
  requireCheckbox: "CHECKBOX",
  requireDate: "DATE_IS_VALID_DATE",
  requireFormulaSatisfied: "CUSTOM_FORMULA",
  requireTextIsEmail: "TEXT_IS_VALID_EMAIL",
  requireTextIsUrl: "TEXT_IS_VALID_URL",
};
const requireMethods = [
  "requireCheckbox",
  "requireDate",
  "requireDateAfter",
  "requireDateBefore",
  "requireDateBetween",
  "requireDateEqualTo",
  "requireDateNotBetween",
  "requireDateOnOrAfter",
  "requireDateOnOrBefore",
  "requireFormulaSatisfied",
  "requireNumberBetween",
  "requireNumberEqualTo",
  "requireNumberGreaterThan",
  "requireNumberGreaterThanOrEqualTo",
  "requireNumberLessThan",
  "requireNumberLessThanOrEqualTo",
  "requireNumberNotBetween",
  "requireNumberNotEqualTo",
  "requireTextContains",
  "requireTextDoesNotContain",
  "requireTextEqualTo",
  "requireTextIsEmail",
  "requireTextIsUrl",
  "requireValueInList",
  "requireValueInRange",
] as const;

const validationRecords = new WeakMap<object, ValidationRecord>();

export const validationRecordOf = (rule: unknown): ValidationRecord | undefined =>
  typeof rule === "object" && rule !== null ? validationRecords.get(rule) : undefined;

const criteriaEnum = (name: string): EnumValue | string =>
  (DataValidationCriteria as Record<string, EnumValue>)[name] ?? name;

/** The DataValidation the script sees for a recorded rule. */
export const dataValidationObject = (
  exec: Execution,
  record: ValidationRecord,
): GoogleAppsScript.Spreadsheet.DataValidation => {
  const rule = serviceObject(exec, "DataValidation", {
    copy: () => newDataValidationBuilder(exec, record),
    getAllowInvalid: () => record.allowInvalid,
    getCriteriaType: () =>
      criteriaEnum(record.criteria) as unknown as GoogleAppsScript.Spreadsheet.DataValidationCriteria,
    getCriteriaValues: () => exec.realm.array(record.values),
    getHelpText: () => record.helpText ?? "",
  }) satisfies Partial<GoogleAppsScript.Spreadsheet.DataValidation>;
  validationRecords.set(rule, record);
  return rule as unknown as GoogleAppsScript.Spreadsheet.DataValidation;
};

export const newDataValidationBuilder = (
  exec: Execution,
  from?: ValidationRecord,
): GoogleAppsScript.Spreadsheet.DataValidationBuilder => {
  const state: ValidationRecord = from
    ? { ...from, values: [...from.values] }
    : { criteria: "", values: [], allowInvalid: true, helpText: null };
  const impl: Record<string, (...args: unknown[]) => unknown> = {
    build: () => {
      if (!state.criteria) throw new GasException("You must specify a criteria before building the rule.");
      return dataValidationObject(exec, { ...state, values: [...state.values] });
    },
    copy: () => newDataValidationBuilder(exec, state),
    getAllowInvalid: () => state.allowInvalid,
    getCriteriaType: () => criteriaEnum(state.criteria),
    getCriteriaValues: () => exec.realm.array(state.values),
    getHelpText: () => state.helpText,
    setAllowInvalid: (allow) => {
      state.allowInvalid = Boolean(allow);
      return self;
    },
    setHelpText: (text) => {
      state.helpText = String(text);
      return self;
    },
    withCriteria: (criteria, args) => {
      if (!Array.isArray(args))
        throw signatureError("SpreadsheetApp.DataValidationBuilder.withCriteria", [criteria, args]);
      state.criteria = String(criteria);
      state.values = [...args];
      return self;
    },
  };
  for (const method of requireMethods) {
    impl[method] = (...args: unknown[]) => {
      state.criteria = requireCriteria[method] ?? snake(method.slice("require".length));
      state.values =
        method === "requireValueInList" || method === "requireValueInRange"
          ? [args[0], args[1] ?? true]
          : args;
      if (method === "requireValueInList" && !Array.isArray(args[0])) {
        throw signatureError("SpreadsheetApp.DataValidationBuilder.requireValueInList", args);
      }
      return self;
    };
  }
  const self = serviceObject(exec, "DataValidationBuilder", impl);
  return self as unknown as GoogleAppsScript.Spreadsheet.DataValidationBuilder;
};

export interface ConditionalFormatRecord {
  ranges: RangeRef[];
  criteria: string | null;
  values: unknown[];
  format: Record<string, unknown>;
}

const conditionalRecords = new WeakMap<object, ConditionalFormatRecord>();

export const conditionalRecordOf = (rule: unknown): ConditionalFormatRecord | undefined =>
  typeof rule === "object" && rule !== null ? conditionalRecords.get(rule) : undefined;

const whenCriteria: Record<string, string> = { whenFormulaSatisfied: "CUSTOM_FORMULA" };
const whenMethods = [
  "whenCellEmpty",
  "whenCellNotEmpty",
  "whenDateAfter",
  "whenDateBefore",
  "whenDateEqualTo",
  "whenFormulaSatisfied",
  "whenNumberBetween",
  "whenNumberEqualTo",
  "whenNumberGreaterThan",
  "whenNumberGreaterThanOrEqualTo",
  "whenNumberLessThan",
  "whenNumberLessThanOrEqualTo",
  "whenNumberNotBetween",
  "whenNumberNotEqualTo",
  "whenTextContains",
  "whenTextDoesNotContain",
  "whenTextEndsWith",
  "whenTextEqualTo",
  "whenTextStartsWith",
] as const;
const formatSetters = [
  "setBackground",
  "setBold",
  "setFontColor",
  "setItalic",
  "setStrikethrough",
  "setUnderline",
  "setGradientMaxpoint",
  "setGradientMinpoint",
  "setGradientMaxpointWithValue",
  "setGradientMidpointWithValue",
  "setGradientMinpointWithValue",
] as const;

export const conditionalRuleObject = (
  exec: Execution,
  record: ConditionalFormatRecord,
  toRange: (ref: RangeRef) => unknown,
): GoogleAppsScript.Spreadsheet.ConditionalFormatRule => {
  const rule = serviceObject(exec, "ConditionalFormatRule", {
    copy: () => newConditionalFormatRuleBuilder(exec, toRange, record),
    getBooleanCondition: () => null,
    getGradientCondition: () => null,
    getRanges: () => exec.realm.array(record.ranges.map(toRange)),
  });
  conditionalRecords.set(rule, record);
  return rule as unknown as GoogleAppsScript.Spreadsheet.ConditionalFormatRule;
};

export const newConditionalFormatRuleBuilder = (
  exec: Execution,
  toRange: (ref: RangeRef) => unknown,
  from?: ConditionalFormatRecord,
  rangeRefOf: (value: unknown) => RangeRef | undefined = () => undefined,
): GoogleAppsScript.Spreadsheet.ConditionalFormatRuleBuilder => {
  const state: ConditionalFormatRecord = from
    ? {
        ranges: [...from.ranges],
        criteria: from.criteria,
        values: [...from.values],
        format: { ...from.format },
      }
    : { ranges: [], criteria: null, values: [], format: {} };
  const impl: Record<string, (...args: unknown[]) => unknown> = {
    build: () =>
      conditionalRuleObject(
        exec,
        { ...state, ranges: [...state.ranges], format: { ...state.format } },
        toRange,
      ),
    copy: () => newConditionalFormatRuleBuilder(exec, toRange, state, rangeRefOf),
    getBooleanCondition: () => null,
    getGradientCondition: () => null,
    getRanges: () => exec.realm.array(state.ranges.map(toRange)),
    setRanges: (ranges) => {
      const refs = Array.isArray(ranges) ? ranges.map(rangeRefOf) : [];
      if (!Array.isArray(ranges) || refs.some((ref) => ref === undefined)) {
        throw signatureError("SpreadsheetApp.ConditionalFormatRuleBuilder.setRanges", [ranges]);
      }
      state.ranges = refs as RangeRef[];
      return self;
    },
    withCriteria: (criteria, args) => {
      state.criteria = String(criteria);
      state.values = Array.isArray(args) ? [...args] : [];
      return self;
    },
  };
  for (const method of whenMethods) {
    impl[method] = (...args: unknown[]) => {
      state.criteria = whenCriteria[method] ?? snake(method.slice("when".length));
      state.values = args;
      return self;
    };
  }
  for (const method of formatSetters) {
    impl[method] = (...args: unknown[]) => {
      const key = method.slice(3, 4).toLowerCase() + method.slice(4);
      state.format[key] = args.length === 1 ? args[0] : args;
      return self;
    };
  }
  const self = serviceObject(exec, "ConditionalFormatRuleBuilder", impl);
  return self as unknown as GoogleAppsScript.Spreadsheet.ConditionalFormatRuleBuilder;
};
