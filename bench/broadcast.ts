import { replies } from '../src/protocol/index.js';
import { joinAll, leave, settle, sleep } from './crowd.js';
import { LoadClient } from './load-client.js';
import { CpuMeter } from './process-stats.js';
import { LatencyRecorder, type LatencySummary } from './stats.js';
import type { RunningServer } from './targets.js';
import { benchMessage, nowMicros } from './tokens.js';

export interface BroadcastPlan {
  clients: number;
  senders: number;
  messagesPerSender: number;
  /** Bytes of padding after each message's token. */
  paddingBytes: number;
  /** One more client that joins, then never reads again. */
  stalledReader: boolean;
  /** The whole measured stretch ends by then, finished or not. */
  timeLimitMs: number;
  /** It also ends when nothing has been delivered for this long (a frozen server). */
  progressLimitMs: number;
}

export interface BroadcastOutcome {
  expected: number;
  delivered: number;
  deliveriesPerSecond: number;
  latencyMs: LatencySummary;
  elapsedMs: number;
  /** Percent of one core, over the measured stretch. */
  generatorCpu: number | undefined;
  /** The server's processes together (Redis included), percent of one core. */
  serverCpu: number | undefined;
  /** Each of the server's processes, in the order of its pids. */
  serverCpuEach: Array<number | undefined>;
  window: MeasuredWindow;
  /** Whether the others saw the stalled reader go offline (the server dropped it). */
  stalledDropped?: boolean;
}

/** The measured stretch on the monotonic clock, in microseconds: the time base of V8's CPU profiles. */
export interface MeasuredWindow {
  fromUs: number;
  toUs: number;
}

/** Where a scenario that profiles its servers writes the measured stretch, beside the profiles. */
export const WINDOW_FILE = 'window.json';

export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Everyone joins; then `senders` of them broadcast, each sending its next message as soon as its previous
 * one has come back to it (one message in flight per sender, so each arrives in a read of its own even at
 * the tutorial's server), until all are sent. Every client counts the tokens it receives and the time each
 * took from send to receipt; all share this process's clock.
 */
export async function runBroadcast(server: RunningServer, plan: BroadcastPlan): Promise<BroadcastOutcome> {
  const crowd = await joinAll(server, plan.clients, 250, 60_000);
  const clients = crowd.clients;
  let stalled: LoadClient | undefined;
  try {
    if (plan.stalledReader) {
      stalled = await LoadClient.connect(server.host, server.port);
      await stalled.joined();
      stalled.stopReading();
    }
    await settle(clients);
    const dropped = stalled
      ? clients[0]!.watchFor(replies.left(stalled.addr, stalled.addr)).then(() => true)
      : undefined;
    const outcome = await measure(clients, plan, serverPids(server));
    if (dropped) outcome.stalledDropped = await Promise.race([dropped, sleep(100).then(() => false)]);
    return outcome;
  } finally {
    leave(clients);
    stalled?.destroy();
  }
}

/** The server's processes: one, or every process of a chat spread over several (Redis included). */
function serverPids(server: RunningServer): number[] {
  return server.pids ?? (server.pid === undefined ? [] : [server.pid]);
}

/** CPU of several processes, each and together, as a share of one core. */
function cpuOf(pids: number[]): () => { total: number | undefined; each: Array<number | undefined> } {
  const meters = pids.map((pid) => new CpuMeter(pid));
  return () => {
    const each = meters.map((meter) => meter.percentOfCore());
    const total = each.length === 0 ? undefined : each.reduce((sum: number, cpu) => sum + (cpu ?? 0), 0);
    return { total, each };
  };
}

function measure(clients: LoadClient[], plan: BroadcastPlan, pids: number[]): Promise<BroadcastOutcome> {
  const expected = clients.length * plan.senders * plan.messagesPerSender;
  const latencies = new LatencyRecorder(expected);
  const sent = new Array<number>(plan.senders).fill(0);
  let delivered = 0;
  let lastDeliveryAt = performance.now();
  let finished = false;

  const sendNext = (sender: number) => {
    if (finished || sent[sender]! >= plan.messagesPerSender) return;
    clients[sender]!.send(benchMessage(sender, sent[sender]!, nowMicros(), plan.paddingBytes));
    sent[sender]! += 1;
  };
  clients.forEach((client, index) => {
    client.sink = (sender, _seq, sentAtMicros, receivedAt) => {
      lastDeliveryAt = receivedAt;
      delivered += 1;
      latencies.record(receivedAt - sentAtMicros / 1000);
      if (sender === index) sendNext(sender);
    };
  });

  return new Promise((resolve) => {
    const generator = new CpuMeter();
    const serverCpu = cpuOf(pids);
    const fromUs = monotonicMicros();
    const startedAt = performance.now();
    lastDeliveryAt = startedAt;
    const check = setInterval(() => {
      const now = performance.now();
      const done = delivered >= expected;
      if (!done && now - startedAt < plan.timeLimitMs && now - lastDeliveryAt < plan.progressLimitMs) return;
      finished = true;
      clearInterval(check);
      for (const client of clients) client.sink = undefined;
      const elapsedMs = (done ? lastDeliveryAt : now) - startedAt;
      const cpu = serverCpu();
      resolve({
        expected,
        delivered,
        deliveriesPerSecond: delivered / (elapsedMs / 1000),
        latencyMs: latencies.summary(),
        elapsedMs,
        generatorCpu: generator.percentOfCore(),
        serverCpu: cpu.total,
        serverCpuEach: cpu.each,
        window: { fromUs, toUs: monotonicMicros() },
      });
    }, 20);
    for (let sender = 0; sender < plan.senders; sender += 1) sendNext(sender);
  });
}

export interface PacedPlan {
  clients: number;
  senders: number;
  /** Lines per second, all senders together. */
  linesPerSecond: number;
  seconds: number;
  paddingBytes: number;
}

export interface PacedOutcome {
  expected: number;
  delivered: number;
  latencyMs: LatencySummary;
  /** The server's processes together (Redis included), percent of one core, from the first line sent to the last. */
  serverCpu: number | undefined;
  serverCpuEach: Array<number | undefined>;
  window: MeasuredWindow;
}

/**
 * Everyone joins; then `senders` of them send public lines at a steady `linesPerSecond` in all, whatever
 * comes back, for `seconds`. Every client times every line from send to receipt: what the server adds to a
 * line when it is not busy, rather than how much it can carry.
 */
export async function runPaced(server: RunningServer, plan: PacedPlan): Promise<PacedOutcome> {
  const { clients } = await joinAll(server, plan.clients, 250, 60_000);
  try {
    await settle(clients);
    const total = Math.round(plan.linesPerSecond * plan.seconds);
    const expected = total * clients.length;
    const latencies = new LatencyRecorder(expected);
    let delivered = 0;
    for (const client of clients) {
      client.sink = (_sender, _seq, sentAtMicros, receivedAt) => {
        delivered += 1;
        latencies.record(receivedAt - sentAtMicros / 1000);
      };
    }
    const serverCpu = cpuOf(serverPids(server));
    const fromUs = monotonicMicros();
    const startedAt = performance.now();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - startedAt) / 1000) * plan.linesPerSecond) + 1);
      for (; sent < due; sent += 1) {
        const sender = sent % plan.senders;
        clients[sender]!.send(benchMessage(sender, Math.floor(sent / plan.senders), nowMicros(), plan.paddingBytes));
      }
      await sleep(2);
    }
    const deadline = performance.now() + 10_000;
    while (delivered < expected && performance.now() < deadline) await sleep(20);
    const cpu = serverCpu();
    const window = { fromUs, toUs: monotonicMicros() };
    for (const client of clients) client.sink = undefined;
    return {
      expected,
      delivered,
      latencyMs: latencies.summary(),
      serverCpu: cpu.total,
      serverCpuEach: cpu.each,
      window,
    };
  } finally {
    leave(clients);
  }
}
