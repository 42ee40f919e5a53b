// The platform check's requests to Extend: one List of one run per region (or the local base URL), read only,
// with the user's key when one is saved. Without a key Extend answers 401, which still shows the way there
// works and what it costs.
import { BASE_URL_BY_REGION, type Region } from "../../extend/api";
import type { ProbeRequest } from "./connection-test";
import { probeRequest } from "./connection-test";
import type { Settings } from "./settings";

export interface CheckTarget {
  target: string;
  request: ProbeRequest;
}

function listRequest(baseUrl: string, apiKey: string | undefined, workspaceId?: string): ProbeRequest {
  if (apiKey) return probeRequest(baseUrl, apiKey, workspaceId);
  const request = probeRequest(baseUrl, "", workspaceId);
  const { Authorization: _none, ...headers } = request.headers;
  return { ...request, headers };
}

/** Every region, or only the base URL set for local runs (the manifest allows no other host there). */
export function checkTargets(settings: Settings, apiKey: string | undefined): CheckTarget[] {
  if (settings.baseUrlOverride !== undefined)
    return [
      {
        target: "base URL set for local runs",
        request: listRequest(settings.baseUrlOverride, apiKey, settings.workspaceId),
      },
    ];
  return (Object.keys(BASE_URL_BY_REGION) as Region[]).map((region) => ({
    target: region,
    request: listRequest(BASE_URL_BY_REGION[region], apiKey, settings.workspaceId),
  }));
}
