import { sleep } from './crowd.js';
import type { LoadClient } from './load-client.js';
import { residentBytes } from './process-stats.js';
import { LatencyRecorder, type LatencySummary } from './stats.js';
import type { RunningServer } from './targets.js';

export interface HonestReport {
  latencyMs: LatencySummary;
  sent: number;
  answered: number;
}

const ANSWER_LIMIT_MS = 5000;

/**
 * A member going about its business while others attack: says a line every `everyMs` for `forMs` and times
 * each until its own echo comes back. A line not back within 5 s counts as unanswered.
 */
export async function measureHonestMember(client: LoadClient, forMs: number, everyMs = 25): Promise<HonestReport> {
  const latencies = new LatencyRecorder(Math.ceil(forMs / everyMs) + 1);
  const endAt = performance.now() + forMs;
  let sent = 0;
  let answered = 0;
  while (performance.now() < endAt) {
    const text = `honest ${sent}`;
    const echo = client.watchFor(`[${client.addr}]${client.addr}:${text}\n`);
    const sentAt = performance.now();
    client.send(`${text}\n`);
    sent += 1;
    const seenAt = await Promise.race([echo, sleep(ANSWER_LIMIT_MS).then(() => undefined)]);
    if (seenAt === undefined) continue;
    answered += 1;
    latencies.record(seenAt - sentAt);
    await sleep(everyMs);
  }
  return { latencyMs: latencies.summary(), sent, answered };
}

/** The highest resident memory of the server process seen while `during` runs, sampled every 20 ms. */
export async function peakResidentBytes<T>(
  server: RunningServer,
  during: () => Promise<T>,
): Promise<{ result: T; peakBytes: number | undefined }> {
  if (server.pid === undefined) return { result: await during(), peakBytes: undefined };
  const pid = server.pid;
  let peak = residentBytes(pid) ?? 0;
  const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid) ?? 0)), 20);
  try {
    return { result: await during(), peakBytes: peak };
  } finally {
    clearInterval(sampler);
  }
}
