// The check of the simulation itself: one small scenario run twice, on the virtual clock (as the matrix runs)
// and in real time (real waits for every cost-model charge, the stand-in really sleeping its latency), so the
// report can show how close the simulated figures come to the real-time ones.
import type { RunFigures, ScenarioSpec } from "./figures.js";
import { runScenario } from "./scenario.js";

export const CHECK_SPEC: ScenarioSpec = { rows: 300, rate: 25, costModel: "on", latencyMs: 100 };

export interface RealtimeCheck {
  spec: ScenarioSpec;
  simulated: RunFigures;
  realTime: RunFigures;
}

export async function runRealtimeCheck(spec: ScenarioSpec = CHECK_SPEC): Promise<RealtimeCheck> {
  const simulated = await runScenario(spec, { clock: "virtual", rerun: false, baseline: false });
  const realTime = await runScenario(spec, { clock: "real", rerun: false, baseline: false });
  return { spec, simulated: simulated.addOn, realTime: realTime.addOn };
}
