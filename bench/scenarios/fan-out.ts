import { runBroadcast } from '../broadcast.js';
import { round, withServer, type Scenario } from '../scenario.js';

/** Public chat at scale: `clients` online, ten of them broadcasting as fast as the server echoes them. */
export function fanOut(clients: number, messagesPerSender: number): Scenario {
  const senders = 10;
  return {
    name: `fan-out-${clients}`,
    title: `fan-out, ${clients} clients, ${senders} senders x ${messagesPerSender} messages`,
    async run(target) {
      const outcome = await withServer(target, (server) =>
        runBroadcast(server, {
          clients,
          senders,
          messagesPerSender,
          paddingBytes: 64,
          stalledReader: false,
          timeLimitMs: 60_000,
          progressLimitMs: 10_000,
        }),
      );
      return {
        scenario: this.name,
        target: target.name,
        metrics: [
          {
            key: 'deliveriesPerSec',
            label: 'deliveries/s',
            unit: '/s',
            value: round(outcome.deliveriesPerSecond, 0),
            better: 'higher',
          },
          { key: 'p50Ms', label: 'latency p50', unit: 'ms', value: round(outcome.latencyMs.p50, 2), better: 'lower' },
          { key: 'p99Ms', label: 'latency p99', unit: 'ms', value: round(outcome.latencyMs.p99, 2), better: 'lower' },
          { key: 'maxMs', label: 'latency max', unit: 'ms', value: round(outcome.latencyMs.max, 2), better: 'lower' },
          {
            key: 'deliveredPct',
            label: 'delivered',
            unit: '%',
            value: round((100 * outcome.delivered) / outcome.expected, 2),
            better: 'higher',
          },
          { key: 'serverCpuPct', label: 'server CPU', unit: '% core', value: round(outcome.serverCpu, 0) },
          { key: 'generatorCpuPct', label: 'generator CPU', unit: '% core', value: round(outcome.generatorCpu, 0) },
        ],
        notes:
          outcome.delivered < outcome.expected
            ? [`stopped after ${round(outcome.elapsedMs / 1000)} s with deliveries missing`]
            : [],
      };
    },
  };
}
