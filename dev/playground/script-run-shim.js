// The playground's google.script.run: same calling style as Apps Script's (withSuccessHandler,
// withFailureHandler, withUserObject, then the server function's name; answers arrive asynchronously), but each
// call is posted to the playground server, which runs it in the local Apps Script host.
(() => {
  var user = new URLSearchParams(location.search).get("user") || "";
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
          fetch("/run", {
            method: "POST",
            headers: { "content-type": "application/json" },
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
