// Utilities: a sleep that blocks (or passes virtual time) within the execution's deadline, SimpleDateFormat
// dates in any zone, Java-style signed byte digests, base64 and the small helpers the add-on may reach for.
import { createHash, createHmac, randomUUID } from "node:crypto";
import { encodeText, fromByteArray, isByteArray, makeBlob, toSignedBytes } from "./blob.js";
import { parseCsvText } from "./csv.js";
import { formatDate } from "./date-format.js";
import { asDeclaredEnum, Charset, DigestAlgorithm, MacAlgorithm, RsaAlgorithm } from "./enums.js";
import { type Execution, GasException, serviceObject, signatureError } from "./execution.js";
import { isDate } from "./realm.js";

export const MAX_SLEEP_MS = 300_000;

const digestNames: Record<string, string> = {
  MD5: "md5",
  SHA_1: "sha1",
  SHA_256: "sha256",
  SHA_384: "sha384",
  SHA_512: "sha512",
};
const macNames: Record<string, string> = {
  HMAC_MD5: "md5",
  HMAC_SHA_1: "sha1",
  HMAC_SHA_256: "sha256",
  HMAC_SHA_384: "sha384",
  HMAC_SHA_512: "sha512",
};

const charsetName = (charset: unknown): string => (charset === undefined ? "UTF_8" : String(charset));

const bytesOf = (method: string, value: unknown, charset?: unknown): Uint8Array => {
  if (typeof value === "string") return encodeText(value, charsetName(charset));
  if (isByteArray(value)) return fromByteArray(value);
  throw signatureError(`Utilities.${method}`, [value]);
};

const base64Alphabet = /^[A-Za-z0-9+/]*={0,2}$/;

const decodeBase64 = (encoded: unknown, webSafe: boolean): Uint8Array => {
  if (typeof encoded !== "string") throw signatureError("Utilities.base64Decode", [encoded]);
  const compact = encoded.replace(/\s+/g, "");
  const standard = webSafe ? compact.replace(/-/g, "+").replace(/_/g, "/") : compact;
  if (!base64Alphabet.test(standard) || standard.length % 4 === 1)
    throw new GasException("Could not decode string.");
  return new Uint8Array(Buffer.from(standard, "base64"));
};

/** Java's String.format for the conversions scripts use: %s %d %f %.Nf %%. */
export const formatString = (template: string, args: unknown[]): string => {
  let index = 0;
  return template.replace(/%(\.(\d+))?([sdf%])/g, (_match, _precision, digits: string | undefined, kind) => {
    if (kind === "%") return "%";
    const value = args[index++];
    if (kind === "s") return String(value);
    if (kind === "d") return String(Math.trunc(Number(value)));
    return Number(value).toFixed(digits === undefined ? 6 : Number(digits));
  });
};

export const makeUtilities = (exec: Execution): GoogleAppsScript.Utilities.Utilities => {
  const signed = (bytes: Uint8Array | Buffer) => exec.realm.array(toSignedBytes(new Uint8Array(bytes)));
  const impl = {
    Charset: asDeclaredEnum<typeof GoogleAppsScript.Utilities.Charset>(Charset),
    DigestAlgorithm: asDeclaredEnum<typeof GoogleAppsScript.Utilities.DigestAlgorithm>(DigestAlgorithm),
    MacAlgorithm: asDeclaredEnum<typeof GoogleAppsScript.Utilities.MacAlgorithm>(MacAlgorithm),
    RsaAlgorithm: asDeclaredEnum<typeof GoogleAppsScript.Utilities.RsaAlgorithm>(RsaAlgorithm),
    sleep: (milliseconds: number) => {
      if (typeof milliseconds !== "number" || !Number.isFinite(milliseconds)) {
        throw signatureError("Utilities.sleep", [milliseconds]);
      }
      if (milliseconds > MAX_SLEEP_MS) throw new GasException("Invalid argument: milliseconds");
      // A sleep lasts a little longer than asked (the cost model's sleep accuracy, 0 when the model is off).
      exec.spend(Math.max(0, milliseconds) + exec.meter.model.sleepOverheadMs, "sleep");
    },
    formatDate: (date: GoogleAppsScript.Base.Date, timeZone: string, format: string) => {
      if (!isDate(date) || typeof timeZone !== "string" || typeof format !== "string") {
        throw signatureError("Utilities.formatDate", [date, timeZone, format]);
      }
      return formatDate(date as unknown as Date, timeZone, format);
    },
    formatString: (template: string, ...args: unknown[]) => formatString(String(template), args),
    getUuid: () => randomUUID(),
    computeDigest: (
      algorithm: GoogleAppsScript.Utilities.DigestAlgorithm,
      value: unknown,
      charset?: unknown,
    ) => {
      const name = digestNames[String(algorithm)];
      if (!name) throw new GasException(`Unsupported digest algorithm: ${String(algorithm)}`);
      return signed(
        createHash(name)
          .update(bytesOf("computeDigest", value, charset))
          .digest(),
      );
    },
    computeHmacSignature: (
      algorithm: GoogleAppsScript.Utilities.MacAlgorithm,
      value: unknown,
      key: unknown,
      charset?: unknown,
    ) => {
      const name = macNames[String(algorithm)];
      if (!name) throw new GasException(`Unsupported MAC algorithm: ${String(algorithm)}`);
      const keyBytes = bytesOf("computeHmacSignature", key, charset);
      return signed(
        createHmac(name, keyBytes)
          .update(bytesOf("computeHmacSignature", value, charset))
          .digest(),
      );
    },
    computeHmacSha256Signature: (value: unknown, key: unknown, charset?: unknown) =>
      signed(
        createHmac("sha256", bytesOf("computeHmacSha256Signature", key, charset))
          .update(bytesOf("computeHmacSha256Signature", value, charset))
          .digest(),
      ),
    base64Encode: (data: unknown, charset?: unknown) =>
      Buffer.from(bytesOf("base64Encode", data, charset)).toString("base64"),
    base64EncodeWebSafe: (data: unknown, charset?: unknown) =>
      Buffer.from(bytesOf("base64EncodeWebSafe", data, charset))
        .toString("base64")
        .replace(/\+/g, "-")
        .replace(/\//g, "_"),
    base64Decode: (encoded: string) => signed(decodeBase64(encoded, false)),
    base64DecodeWebSafe: (encoded: string) => signed(decodeBase64(encoded, true)),
    newBlob: (data: unknown, contentType?: string, name?: string) =>
      makeBlob(exec, bytesOf("newBlob", data), contentType ?? null, name ?? null),
    parseCsv: (csv: string, delimiter?: string) =>
      exec.realm.array(parseCsvText(String(csv), delimiter ?? ",")),
  } satisfies Partial<GoogleAppsScript.Utilities.Utilities>;
  return serviceObject(exec, "Utilities", impl) as unknown as GoogleAppsScript.Utilities.Utilities;
};
