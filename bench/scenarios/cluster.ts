import { runBroadcast, runPaced } from '../broadcast.js';
import { round, withServer, type Metric, type Scenario } from '../scenario.js';
import { chatServerTarget, clusterTarget, type Target } from '../targets.js';

const SENDERS = 10;
const PACED_LINES_PER_SECOND = 200;
const PACED_SECONDS = 5;
/** Clients per process for the paced run: 200 lines/s to each of them stays well within what one process carries. */
const PACED_CLIENTS_PER_PROCESS = 100;

/**
 * One chat spread over `processes` chat-servers on one Redis, `clientsPerProcess` clients on each, next to
 * one process holding them all: fan-out at full speed (ten senders, each sending as soon as its line comes
 * back), then a steady 200 lines/s to a smaller room (100 clients a process), where the difference in
 * latency is what going through Redis adds.
 */
export function cluster(processes: number, clientsPerProcess: number, messagesPerSender: number): Scenario {
  const clients = processes * clientsPerProcess;
  return {
    name: 'cluster',
    title: `cluster, ${processes} processes x ${clientsPerProcess} clients on one Redis, against one process`,
    needsOwnServer: true,
    serverIndependent: true,
    async run(target) {
      const pacedClients = processes * PACED_CLIENTS_PER_PROCESS;
      const single = await measure(chatServerTarget(), clients, messagesPerSender, pacedClients);
      const shared = await measure(clusterTarget(processes), clients, messagesPerSender, pacedClients);
      const metrics: Metric[] = [];
      for (const [label, figures] of [
        ['one process', single],
        [`${processes} processes`, shared],
      ] as const) {
        const key = label === 'one process' ? 'single' : 'cluster';
        metrics.push(
          {
            key: `${key}DeliveriesPerSec`,
            label: `${label}: deliveries/s`,
            unit: '/s',
            value: round(figures.deliveriesPerSecond, 0),
            better: 'higher',
          },
          {
            key: `${key}P50Ms`,
            label: `${label}: latency p50`,
            unit: 'ms',
            value: round(figures.p50, 2),
            better: 'lower',
          },
          {
            key: `${key}P99Ms`,
            label: `${label}: latency p99`,
            unit: 'ms',
            value: round(figures.p99, 2),
            better: 'lower',
          },
          { key: `${key}CpuPct`, label: `${label}: server CPU`, unit: '% core', value: round(figures.cpu, 0) },
          {
            key: `${key}PacedP50Ms`,
            label: `${label}: ${PACED_LINES_PER_SECOND} lines/s to ${PACED_CLIENTS_PER_PROCESS * processes}, p50`,
            unit: 'ms',
            value: round(figures.pacedP50, 2),
            better: 'lower',
          },
          {
            key: `${key}PacedP99Ms`,
            label: `${label}: ${PACED_LINES_PER_SECOND} lines/s to ${PACED_CLIENTS_PER_PROCESS * processes}, p99`,
            unit: 'ms',
            value: round(figures.pacedP99, 2),
            better: 'lower',
          },
        );
      }
      const added = (shared.pacedP50 ?? NaN) - (single.pacedP50 ?? NaN);
      metrics.push({
        key: 'redisAddsP50Ms',
        label: 'Redis adds (p50, paced)',
        unit: 'ms',
        value: round(added, 2),
        better: 'lower',
      });
      const notes = [...single.notes, ...shared.notes];
      // Reported under the bench's own target, whose column the table shows; both figures are in the labels.
      return { scenario: this.name, target: target.name, metrics, notes };
    },
  };
}

async function measure(target: Target, clients: number, messagesPerSender: number, pacedClients: number) {
  const fanOut = await withServer(target, (server) =>
    runBroadcast(server, {
      clients,
      senders: SENDERS,
      messagesPerSender,
      paddingBytes: 64,
      stalledReader: false,
      timeLimitMs: 90_000,
      progressLimitMs: 10_000,
    }),
  );
  const paced = await withServer(target, (server) =>
    runPaced(server, {
      clients: pacedClients,
      senders: SENDERS,
      linesPerSecond: PACED_LINES_PER_SECOND,
      seconds: PACED_SECONDS,
      paddingBytes: 64,
    }),
  );
  const notes = [];
  if (fanOut.delivered < fanOut.expected) notes.push(`${target.name}: fan-out stopped with deliveries missing`);
  if (paced.delivered < paced.expected)
    notes.push(`${target.name}: ${paced.expected - paced.delivered} paced deliveries missing`);
  return {
    deliveriesPerSecond: fanOut.deliveriesPerSecond,
    p50: fanOut.latencyMs.p50,
    p99: fanOut.latencyMs.p99,
    cpu: fanOut.serverCpu,
    pacedP50: paced.latencyMs.p50,
    pacedP99: paced.latencyMs.p99,
    notes,
  };
}
