// A minimal Blob: bytes, content type and name, enough for UrlFetchApp payloads and responses and for
// Utilities.newBlob. Apps Script byte arrays are Java bytes, so they cross as signed numbers (-128..127).
import { type Execution, GasException, serviceObject } from "./execution.js";

type Blob = GoogleAppsScript.Base.Blob;

export const toSignedBytes = (bytes: Uint8Array): number[] =>
  Array.from(bytes, (b) => (b > 127 ? b - 256 : b));

export const fromByteArray = (values: readonly unknown[]): Uint8Array =>
  Uint8Array.from(values, (v) => Number(v) & 0xff);

export const isByteArray = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((v) => typeof v === "number");

export const decodeText = (bytes: Uint8Array, charset = "UTF-8"): string => {
  const label = charset.toLowerCase().replace("_", "-");
  try {
    return new TextDecoder(label === "us-ascii" ? "ascii" : label).decode(bytes);
  } catch {
    throw new GasException(`Unsupported charset: ${charset}`);
  }
};

export const encodeText = (text: string, charset = "UTF-8"): Uint8Array => {
  const label = charset.toUpperCase().replace("-", "_");
  if (label === "US_ASCII")
    return Uint8Array.from(text, (ch) => (ch.charCodeAt(0) < 128 ? ch.charCodeAt(0) : 63));
  return new Uint8Array(Buffer.from(text, "utf8"));
};

interface BlobState {
  bytes: Uint8Array;
  contentType: string | null;
  name: string | null;
}

const blobStates = new WeakMap<object, BlobState>();

export const blobStateOf = (value: unknown): BlobState | undefined =>
  typeof value === "object" && value !== null ? blobStates.get(value) : undefined;

export const makeBlob = (
  exec: Execution,
  bytes: Uint8Array,
  contentType: string | null = null,
  name: string | null = null,
): Blob => {
  const state: BlobState = { bytes, contentType, name };
  let self: Blob;
  const impl = {
    getBytes: () => exec.realm.array(toSignedBytes(state.bytes)),
    setBytes: (data: number[]) => {
      state.bytes = fromByteArray(data);
      return self;
    },
    getDataAsString: (charset?: string) => decodeText(state.bytes, charset),
    setDataFromString: (text: string, charset?: string) => {
      state.bytes = encodeText(String(text), charset);
      return self;
    },
    getContentType: () => state.contentType,
    setContentType: (type: string | null) => {
      state.contentType = type;
      return self;
    },
    setContentTypeFromExtension: () => self,
    getName: () => state.name,
    setName: (newName: string) => {
      state.name = String(newName);
      return self;
    },
    isGoogleType: () => false,
    copyBlob: () => makeBlob(exec, new Uint8Array(state.bytes), state.contentType, state.name),
    getAs: (type: string) => {
      if (type !== state.contentType)
        throw new GasException(`Converting from ${state.contentType} to ${type} is not supported.`);
      return makeBlob(exec, new Uint8Array(state.bytes), state.contentType, state.name);
    },
    getBlob: () => self,
  } satisfies Partial<Blob>;
  self = serviceObject(exec, "Blob", impl) as unknown as Blob;
  blobStates.set(self, state);
  return self;
};
