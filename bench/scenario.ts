import type { RunningServer, Target } from './targets.js';

/** One figure of a scenario. `better` says which way is good, so a ratio against another server can be read. */
export interface Metric {
  key: string;
  label: string;
  unit: string;
  value: number | string | undefined;
  better?: 'higher' | 'lower';
}

export interface ScenarioResult {
  scenario: string;
  target: string;
  metrics: Metric[];
  /** Why a figure is missing or what limited it. */
  notes: string[];
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** False when the scenario needs a server the bench starts itself (a `--target` is not restarted). */
  readonly needsOwnServer?: boolean;
  /** It measures a client, not the server: run it once, against the first target only. */
  readonly serverIndependent?: boolean;
  run(target: Target): Promise<ScenarioResult>;
}

/** Runs `body` against a fresh server from `target` and stops it afterwards, whatever happens. */
export async function withServer<T>(target: Target, body: (server: RunningServer) => Promise<T>): Promise<T> {
  const server = await target.start();
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

export const round = (value: number | undefined, digits = 1): number | undefined =>
  value === undefined || !Number.isFinite(value) ? undefined : Number(value.toFixed(digits));
