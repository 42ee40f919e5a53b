// Session: who runs the execution and in which script time zone. The temporary key is stable per user, as
// Apps Script's is for 30 days.
import { createHash } from "node:crypto";
import { type Execution, serviceObject } from "./execution.js";

export interface SessionOptions {
  scriptTimeZone: string;
  /** Email Session.getActiveUser() reveals; "" models a consumer account that hides it from the add-on. */
  activeUserEmail: string;
}

export const makeSession = (exec: Execution, options: SessionOptions): GoogleAppsScript.Base.Session => {
  const user = (email: string) =>
    serviceObject(exec, "User", {
      getEmail: () => email,
    } satisfies Partial<GoogleAppsScript.Base.User>) as GoogleAppsScript.Base.User;
  const session = serviceObject(exec, "Session", {
    getActiveUser: () => user(options.activeUserEmail),
    getEffectiveUser: () => user(exec.userEmail),
    getActiveUserLocale: () => "en",
    getScriptTimeZone: () => options.scriptTimeZone,
    getTemporaryActiveUserKey: () =>
      createHash("sha256").update(`gas-host:${exec.userEmail}`).digest("base64url").slice(0, 43),
  } satisfies Partial<GoogleAppsScript.Base.Session>);
  return session as GoogleAppsScript.Base.Session;
};
