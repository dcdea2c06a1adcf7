import { runBroadcast, type BroadcastPlan } from '../broadcast.js';
import { round, withServer, type Scenario } from '../scenario.js';

/**
 * The fan-out again with 2 KB messages, once as a control and once with one more client that never reads:
 * about 10 MB flows to each client, far more than the stalled one's socket buffers hold. The others must
 * get everything, about as fast as in the control.
 */
export function stalledReader(clients: number): Scenario {
  const plan: BroadcastPlan = {
    clients,
    senders: 10,
    messagesPerSender: 500,
    paddingBytes: 2000,
    stalledReader: false,
    timeLimitMs: 60_000,
    // The tutorial's server freezes entirely behind a stalled reader: stop when nothing moves for this long.
    progressLimitMs: 5_000,
  };
  return {
    name: `stalled-reader-${clients}`,
    title: `stalled reader, ${clients} clients + 1 that never reads, ${plan.senders} x ${plan.messagesPerSender} messages of 2 KB`,
    async run(target) {
      const control = await withServer(target, (server) => runBroadcast(server, plan));
      const stalled = await withServer(target, (server) => runBroadcast(server, { ...plan, stalledReader: true }));
      const p99Ratio =
        stalled.latencyMs.p99 !== undefined && control.latencyMs.p99
          ? stalled.latencyMs.p99 / control.latencyMs.p99
          : undefined;
      return {
        scenario: this.name,
        target: target.name,
        metrics: [
          {
            key: 'deliveredPct',
            label: 'delivered to the others',
            unit: '%',
            value: round((100 * stalled.delivered) / stalled.expected, 2),
            better: 'higher',
          },
          {
            key: 'deliveriesPerSec',
            label: 'deliveries/s',
            unit: '/s',
            value: round(stalled.deliveriesPerSecond, 0),
            better: 'higher',
          },
          { key: 'p50Ms', label: 'latency p50', unit: 'ms', value: round(stalled.latencyMs.p50, 2), better: 'lower' },
          { key: 'p99Ms', label: 'latency p99', unit: 'ms', value: round(stalled.latencyMs.p99, 2), better: 'lower' },
          {
            key: 'controlP99Ms',
            label: 'p99 without the stalled one',
            unit: 'ms',
            value: round(control.latencyMs.p99, 2),
            better: 'lower',
          },
          { key: 'p99VsControl', label: 'p99 stalled / without', unit: 'x', value: round(p99Ratio, 2) },
          {
            key: 'stalledDropped',
            label: 'stalled reader dropped',
            unit: '',
            value: stalled.stalledDropped ? 'yes' : 'no',
          },
          { key: 'generatorCpuPct', label: 'generator CPU', unit: '% core', value: round(stalled.generatorCpu, 0) },
        ],
        notes:
          stalled.delivered < stalled.expected
            ? [
                `stalled run stopped after ${round(stalled.elapsedMs / 1000)} s, ${stalled.delivered} of ${stalled.expected} delivered`,
              ]
            : [],
      };
    },
  };
}
