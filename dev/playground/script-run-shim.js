// The playground's google.script.run: same calling style as Apps Script's (withSuccessHandler,
// withFailureHandler, withUserObject, then the server function's name; answers arrive asynchronously), but each
// call is posted to the playground server, which runs it in the local Apps Script host. Arguments google.script.run
// refuses (a Date, a function, a DOM node, a circular reference) throw here, at the call, with the host's message:
// posted as JSON they would arrive as strings or vanish and never meet the host's own check. The page was opened
// with the playground's access token in its address; each call carries it in a header, as the server requires.
// The page's "signed into several Google accounts" switch (localStorage, shared by the page and this frame)
// makes every call fail as Google fails it then, before anything reaches the host.
(() => {
  var params = new URLSearchParams(location.search);
  var user = params.get("user") || "";
  var token = params.get("token") || "";
  var SIGNED_IN_TWICE_KEY = "playground.signedInTwice";
  // Google's words for it (github.com/enuchi/React-Google-Apps-Script/issues/46).
  var SIGNED_IN_TWICE_ERROR =
    "We're sorry, a server error occurred while reading from storage. Error code PERMISSION_DENIED.";
  function signedInTwice() {
    try {
      return typeof localStorage !== "undefined" && localStorage.getItem(SIGNED_IN_TWICE_KEY) === "1";
    } catch (_) {
      return false;
    }
  }
  // The rule of illegalClientValue in dev/gas-host/realm.ts, restated here because this file runs in the browser
  // as it is: primitives, null, arrays and plain objects pass; returns the path of the first illegal value.
  function illegalValue(value, path, seen) {
    if (value === null || value === undefined) return null;
    const kind = typeof value;
    if (kind === "string" || kind === "number" || kind === "boolean") return null;
    if (kind !== "object") return path || "value";
    if (seen.has(value)) return path || "value";
    const proto = Object.getPrototypeOf(value);
    // Plain objects from any frame: their prototype is null or some realm's Object.prototype.
    const plain = proto === null || Object.getPrototypeOf(proto) === null;
    if (!Array.isArray(value) && !plain) return path || "value";
    seen.add(value);
    for (const key of Object.keys(value)) {
      const illegal = illegalValue(value[key], path ? `${path}.${key}` : key, seen);
      if (illegal !== null) return illegal;
    }
    seen.delete(value);
    return null;
  }
  function runner(success, failure, userObject) {
    var target = {
      withSuccessHandler: (handler) => runner(handler, failure, userObject),
      withFailureHandler: (handler) => runner(success, handler, userObject),
      withUserObject: (object) => runner(success, failure, object),
    };
    return new Proxy(target, {
      get: (object, name) => {
        if (name in object) return object[name];
        return (...args) => {
          for (let i = 0; i < args.length; i++) {
            const illegal = illegalValue(args[i], "", new Set());
            if (illegal !== null) {
              throw new Error(
                `Failed due to illegal value in property: ${illegal === "value" ? i : `${i}.${illegal}`}`,
              );
            }
          }
          if (signedInTwice()) {
            Promise.resolve().then(() => {
              if (failure) failure(new Error(SIGNED_IN_TWICE_ERROR), userObject);
            });
            return;
          }
          fetch("/run", {
            method: "POST",
            headers: { "content-type": "application/json", "x-playground-token": token },
            body: JSON.stringify({ functionName: String(name), args: args, user: user }),
          })
            .then((response) => response.json())
            .then((answer) => {
              if (answer.error !== undefined) throw new Error(answer.error);
              if (success) success(answer.returned, userObject);
            })
            .catch((error) => {
              if (failure) failure(error instanceof Error ? error : new Error(String(error)), userObject);
            });
        };
      },
    });
  }
  window.google = { script: { run: runner(null, null, undefined), host: { close: () => {} } } };
})();
