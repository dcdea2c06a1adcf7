import { LoadClient } from './load-client.js';
import type { RunningServer } from './targets.js';

export interface Crowd {
  clients: LoadClient[];
  /** How many saw their own `已上线` in time. */
  joined: number;
  /** From the first connect to the last client seeing its own `已上线`, or to the time limit. */
  joinMs: number;
  /** Per client that joined, from its connect to its own `已上线`, ascending. */
  eachJoinMs: number[];
}

/**
 * Connects `count` clients, at most `inFlight` joining at any moment, and waits for each to see its own
 * `已上线`; after `timeLimitMs` it stops and reports how many made it.
 */
export async function joinCrowd(
  server: RunningServer,
  count: number,
  inFlight: number,
  timeLimitMs: number,
): Promise<Crowd> {
  const clients: LoadClient[] = [];
  const eachJoinMs: number[] = [];
  const startedAt = performance.now();
  let next = 0;
  let timedOut = false;
  const joinOne = async (): Promise<void> => {
    while (next < count && !timedOut) {
      const port = server.ports ? server.ports[next % server.ports.length]! : server.port;
      next += 1;
      const connectAt = performance.now();
      const client = await LoadClient.connect(server.host, port, timeLimitMs);
      clients.push(client);
      const joinedAt = await client.joined();
      eachJoinMs.push(joinedAt - connectAt);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timeLimit = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      resolve();
    }, timeLimitMs);
  });
  try {
    await Promise.race([Promise.all(Array.from({ length: Math.min(inFlight, count) }, joinOne)), timeLimit]);
  } catch (error) {
    leave(clients);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const joinMs = timedOut ? timeLimitMs : performance.now() - startedAt;
  return { clients, joined: eachJoinMs.length, joinMs, eachJoinMs: eachJoinMs.sort((a, b) => a - b) };
}

/** Like joinCrowd, but every client must make it. */
export async function joinAll(
  server: RunningServer,
  count: number,
  inFlight: number,
  timeLimitMs: number,
): Promise<Crowd> {
  const crowd = await joinCrowd(server, count, inFlight, timeLimitMs);
  if (crowd.joined < count) {
    leave(crowd.clients);
    throw new Error(`only ${crowd.joined} of ${count} joined within ${timeLimitMs / 1000} s`);
  }
  return crowd;
}

/** Waits until no client has received anything for `quietMs` (the join announcements have drained). */
export async function settle(clients: LoadClient[], quietMs = 300, timeLimitMs = 30_000): Promise<void> {
  const total = () => clients.reduce((sum, client) => sum + client.bytesReceived, 0);
  const deadline = performance.now() + timeLimitMs;
  let last = total();
  while (performance.now() < deadline) {
    await sleep(quietMs);
    const now = total();
    if (now === last) return;
    last = now;
  }
}

export function leave(clients: LoadClient[]): void {
  for (const client of clients) client.destroy();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((wake) => setTimeout(wake, ms));
}
