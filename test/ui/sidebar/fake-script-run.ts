// A stand-in for the page's google.script.run: each named server function answers at once through the success
// handler with what `answer` returns for its name and arguments, and every call is recorded.
export interface ScriptRunCall {
  name: string;
  args: unknown[];
}

export function installScriptRun(
  names: readonly string[],
  answer: (name: string, args: unknown[]) => unknown,
): ScriptRunCall[] {
  const calls: ScriptRunCall[] = [];
  const run: Record<string, unknown> & { success: (value: unknown) => void } = {
    success: () => undefined,
    withSuccessHandler(handler: (value: unknown) => void) {
      run.success = handler;
      return run;
    },
    withFailureHandler: () => run,
  };
  for (const name of names)
    run[name] = (...args: unknown[]) => {
      calls.push({ name, args });
      run.success(answer(name, args));
    };
  (globalThis as unknown as { google: unknown }).google = { script: { run } };
  return calls;
}
