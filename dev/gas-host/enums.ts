// Apps Script enums are Java enum objects, not numbers or strings: `ui.Button.OK` is one shared object whose
// toString() and name() give "OK". Modelling them that way keeps `==` and `String(x)` behaving as in production.
export interface EnumValue<N extends string = string> {
  name(): N;
  ordinal(): number;
  toString(): N;
  toJSON(): N;
}

export type EnumObject<N extends string> = { readonly [K in N]: EnumValue<K> };

// A prototype of their own keeps enum values from being copied as plain data when they cross realms, so
// `e.authMode == ScriptApp.AuthMode.FULL` compares the same object, as in Apps Script.
const enumPrototype = Object.create(Object.prototype) as object;

export const makeEnum = <const N extends string>(names: readonly N[]): EnumObject<N> => {
  const out: Record<string, EnumValue> = {};
  names.forEach((name, index) => {
    out[name] = Object.freeze(
      Object.assign(Object.create(enumPrototype) as object, {
        name: () => name,
        ordinal: () => index,
        toString: () => name,
        toJSON: () => name,
      }),
    );
  });
  return Object.freeze(out) as EnumObject<N>;
};

/** The enum constant's name for an enum value, a plain string or anything printing as one. */
export const enumName = (value: unknown): string => String(value);

/** Casts a fake enum object to the numeric enum type declared by @types/google-apps-script. */
export const asDeclaredEnum = <T>(value: unknown): T => value as T;

export const Button = makeEnum(["CLOSE", "OK", "CANCEL", "YES", "NO"]);
export const ButtonSet = makeEnum(["OK", "OK_CANCEL", "YES_NO", "YES_NO_CANCEL"]);
export const AuthMode = makeEnum(["NONE", "CUSTOM_FUNCTION", "LIMITED", "FULL"]);
export const AuthorizationStatus = makeEnum(["REQUIRED", "NOT_REQUIRED"]);
export const SandboxMode = makeEnum(["EMULATED", "IFRAME", "NATIVE"]);
export const XFrameOptionsMode = makeEnum(["ALLOWALL", "DEFAULT"]);
export const Charset = makeEnum(["US_ASCII", "UTF_8"]);
export const DigestAlgorithm = makeEnum(["MD2", "MD5", "SHA_1", "SHA_256", "SHA_384", "SHA_512"]);
export const RsaAlgorithm = makeEnum(["RSA_SHA_1", "RSA_SHA_256"]);
export const MacAlgorithm = makeEnum([
  "HMAC_MD5",
  "HMAC_SHA_1",
  "HMAC_SHA_256",
  "HMAC_SHA_384",
  "HMAC_SHA_512",
]);
export const DataValidationCriteria = makeEnum([
  "DATE_AFTER",
  "DATE_BEFORE",
  "DATE_BETWEEN",
  "DATE_EQUAL_TO",
  "DATE_IS_VALID_DATE",
  "DATE_NOT_BETWEEN",
  "DATE_ON_OR_AFTER",
  "DATE_ON_OR_BEFORE",
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
  "TEXT_IS_VALID_EMAIL",
  "TEXT_IS_VALID_URL",
  "VALUE_IN_LIST",
  "VALUE_IN_RANGE",
  "CUSTOM_FORMULA",
  "CHECKBOX",
]);
