// The slice of ScriptApp an editor add-on touches: the AuthMode enum its onOpen compares against, the
// authorization check Google recommends before work in triggers (always "not required" here), and the list of
// the project's triggers (always empty: the host runs no triggers; the call still needs its scope).
import { AuthMode, AuthorizationStatus, asDeclaredEnum } from "./enums.js";
import { type Execution, serviceObject } from "./execution.js";

export const makeScriptApp = (exec: Execution, scriptId: string) =>
  serviceObject(exec, "ScriptApp", {
    AuthMode: asDeclaredEnum<typeof GoogleAppsScript.Script.AuthMode>(AuthMode),
    AuthorizationStatus:
      asDeclaredEnum<typeof GoogleAppsScript.Script.AuthorizationStatus>(AuthorizationStatus),
    getScriptId: () => scriptId,
    getProjectTriggers: () => exec.realm.array([] as GoogleAppsScript.Script.Trigger[]),
    getAuthorizationInfo: () =>
      serviceObject(exec, "AuthorizationInfo", {
        getAuthorizationStatus: () =>
          asDeclaredEnum<GoogleAppsScript.Script.AuthorizationStatus>(AuthorizationStatus.NOT_REQUIRED),
        getAuthorizationUrl: () => null as unknown as string,
      } satisfies GoogleAppsScript.Script.AuthorizationInfo),
  } satisfies Partial<GoogleAppsScript.Script.ScriptApp>);
