// HtmlService over the built HTML files. Templates compile to a function evaluated inside the execution's own
// vm context, so scriptlets see the script's globals (e.g. an include() helper) and template properties as
// variables, as in Apps Script. Printing scriptlets escape for HTML, or emit a JSON literal inside <script>;
// that approximates Apps Script's contextual escaping and does not model attribute or URL contexts.
import { existsSync, readFileSync } from "node:fs";
import { join, normalize, sep } from "node:path";
import vm from "node:vm";
import { asDeclaredEnum, SandboxMode, XFrameOptionsMode } from "./enums.js";
import { type Execution, GasException, serviceObject, signatureError } from "./execution.js";

type HtmlOutput = GoogleAppsScript.HTML.HtmlOutput;
type HtmlTemplate = GoogleAppsScript.HTML.HtmlTemplate;

export interface HtmlOutputState {
  content: string;
  title: string;
  width: number | undefined;
  height: number | undefined;
  sandboxMode: string;
  xFrameOptionsMode: string;
  metaTags: { name: string; content: string }[];
  faviconUrl: string;
}

const outputStates = new WeakMap<object, HtmlOutputState>();

export const htmlOutputStateOf = (value: unknown): HtmlOutputState | undefined =>
  typeof value === "object" && value !== null ? outputStates.get(value) : undefined;

const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => entities[ch] ?? ch);

const printable = (value: unknown): string => (value === null || value === undefined ? "" : String(value));

const jsLiteral = (value: unknown): string =>
  (JSON.stringify(value === undefined ? null : value) ?? "null")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/** Compiles template text to the source of `function (template, printHtml, printJs) -> string`. */
export const compileTemplate = (raw: string): string => {
  const lines: string[] = [];
  let scriptDepth = 0;
  let rest = raw;
  const pushText = (text: string) => {
    if (text === "") return;
    lines.push(`__out.push(${JSON.stringify(text)});`);
    const opens = text.match(/<script\b/gi)?.length ?? 0;
    const closes = text.match(/<\/script\s*>/gi)?.length ?? 0;
    scriptDepth = Math.max(0, scriptDepth + opens - closes);
  };
  while (rest.length > 0) {
    const start = rest.indexOf("<?");
    if (start < 0) {
      pushText(rest);
      break;
    }
    pushText(rest.slice(0, start));
    const end = rest.indexOf("?>", start + 2);
    if (end < 0) throw new GasException("Unterminated scriptlet in template");
    const body = rest.slice(start + 2, end);
    rest = rest.slice(end + 2);
    if (body.startsWith("!=")) lines.push(`__out.push(__raw(${expression(body.slice(2))}));`);
    else if (body.startsWith("=")) {
      const printer = scriptDepth > 0 ? "__printJs" : "__printHtml";
      lines.push(`__out.push(${printer}(${expression(body.slice(1))}));`);
    } else lines.push(body);
  }
  return `(function (__template, __printHtml, __printJs, __raw) {\nvar __out = [];\nwith (__template) {\n${lines.join("\n")}\n}\nreturn __out.join("");\n})`;
};

const expression = (code: string): string => code.trim().replace(/;+\s*$/, "") || "undefined";

export interface HtmlServiceOptions {
  htmlDir: string;
  context: vm.Context;
}

const readHtmlFile = (htmlDir: string, name: string): string => {
  if (typeof name !== "string") throw signatureError("HtmlService.createHtmlOutputFromFile", [name]);
  const base = normalize(join(htmlDir, name.endsWith(".html") ? name : `${name}.html`));
  if (!base.startsWith(normalize(htmlDir) + sep) || !existsSync(base)) {
    throw new GasException(`No HTML file named ${name} was found.`);
  }
  return readFileSync(base, "utf8");
};

export const makeHtmlOutput = (exec: Execution, content: string): HtmlOutput => {
  const state: HtmlOutputState = {
    content,
    title: "",
    width: undefined,
    height: undefined,
    sandboxMode: "IFRAME",
    xFrameOptionsMode: "DEFAULT",
    metaTags: [],
    faviconUrl: "",
  };
  let self: HtmlOutput;
  const impl = {
    getContent: () => state.content,
    setContent: (html: string) => {
      state.content = String(html);
      return self;
    },
    append: (html: string) => {
      state.content += String(html);
      return self;
    },
    appendUntrusted: (text: string) => {
      state.content += escapeHtml(String(text));
      return self;
    },
    clear: () => {
      state.content = "";
      return self;
    },
    getTitle: () => state.title,
    setTitle: (title: string) => {
      state.title = String(title);
      return self;
    },
    getWidth: () => state.width ?? 0,
    setWidth: (width: number) => {
      state.width = width;
      return self;
    },
    getHeight: () => state.height ?? 0,
    setHeight: (height: number) => {
      state.height = height;
      return self;
    },
    setSandboxMode: (mode: GoogleAppsScript.HTML.SandboxMode) => {
      state.sandboxMode = String(mode);
      return self;
    },
    setXFrameOptionsMode: (mode: GoogleAppsScript.HTML.XFrameOptionsMode) => {
      state.xFrameOptionsMode = String(mode);
      return self;
    },
    addMetaTag: (name: string, metaContent: string) => {
      state.metaTags.push({ name, content: metaContent });
      return self;
    },
    getMetaTags: () =>
      exec.realm.array(
        state.metaTags.map((tag) =>
          serviceObject(exec, "HtmlOutputMetaTag", {
            getName: () => tag.name,
            getContent: () => tag.content,
          }),
        ),
      ),
    getFaviconUrl: () => state.faviconUrl,
    setFaviconUrl: (url: string) => {
      state.faviconUrl = String(url);
      return self;
    },
  } satisfies Partial<HtmlOutput>;
  self = serviceObject(exec, "HtmlOutput", impl) as unknown as HtmlOutput;
  outputStates.set(self, state);
  return self;
};

export const makeHtmlTemplate = (exec: Execution, context: vm.Context, raw: string): HtmlTemplate => {
  let compiled: ((t: unknown, h: unknown, j: unknown, r: unknown) => string) | undefined;
  let self: HtmlTemplate;
  const impl = {
    evaluate: () => {
      compiled ??= vm.runInContext(compileTemplate(raw), context, {
        filename: "template.html",
      }) as typeof compiled;
      const html = (compiled as NonNullable<typeof compiled>)(
        self,
        (value: unknown) => escapeHtml(printable(value)),
        jsLiteral,
        printable,
      );
      return makeHtmlOutput(exec, html);
    },
    getCode: () => compileTemplate(raw),
    getCodeWithComments: () => compileTemplate(raw),
    getRawContent: () => raw,
  } satisfies Partial<HtmlTemplate>;
  self = serviceObject(exec, "HtmlTemplate", impl) as unknown as HtmlTemplate;
  return self;
};

const contentOf = (method: string, source: unknown): string => {
  if (source === undefined) return "";
  if (typeof source === "string") return source;
  const blob = source as { getDataAsString?: () => string; getBlob?: () => { getDataAsString(): string } };
  if (typeof blob.getDataAsString === "function") return blob.getDataAsString();
  if (typeof blob.getBlob === "function") return blob.getBlob().getDataAsString();
  throw signatureError(`HtmlService.${method}`, [source]);
};

export const makeHtmlService = (
  exec: Execution,
  options: HtmlServiceOptions,
): GoogleAppsScript.HTML.HtmlService => {
  const impl = {
    SandboxMode: asDeclaredEnum<typeof GoogleAppsScript.HTML.SandboxMode>(SandboxMode),
    XFrameOptionsMode: asDeclaredEnum<typeof GoogleAppsScript.HTML.XFrameOptionsMode>(XFrameOptionsMode),
    createHtmlOutput: (source?: unknown) => makeHtmlOutput(exec, contentOf("createHtmlOutput", source)),
    createHtmlOutputFromFile: (name: string) => makeHtmlOutput(exec, readHtmlFile(options.htmlDir, name)),
    createTemplate: (source: unknown) =>
      makeHtmlTemplate(exec, options.context, contentOf("createTemplate", source)),
    createTemplateFromFile: (name: string) =>
      makeHtmlTemplate(exec, options.context, readHtmlFile(options.htmlDir, name)),
    getUserAgent: () => "Mozilla/5.0 (X11; Linux x86_64) gas-host",
  } satisfies GoogleAppsScript.HTML.HtmlService;
  return serviceObject(exec, "HtmlService", impl);
};
