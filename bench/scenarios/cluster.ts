import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBroadcast, runPaced, WINDOW_FILE, type MeasuredWindow } from '../broadcast.js';
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
 *
 * With `cpuProfileDir`, every chat-server writes a CPU profile into a folder per run under it: `single-fan-out`,
 * `cluster-fan-out`, `single-paced`, `cluster-paced`, with the measured stretch in `window.json` beside them
 * (bench/profile-summary.ts reads only that stretch).
 */
export function cluster(
  processes: number,
  clientsPerProcess: number,
  messagesPerSender: number,
  options: { cpuProfileDir?: string } = {},
): Scenario {
  const { cpuProfileDir } = options;
  const profileDirs = (kind: string) =>
    cpuProfileDir === undefined ? undefined : (run: Run) => join(cpuProfileDir, `${kind}-${run}`);
  const clients = processes * clientsPerProcess;
  return {
    name: 'cluster',
    title: `cluster, ${processes} processes x ${clientsPerProcess} clients on one Redis, against one process`,
    needsOwnServer: true,
    serverIndependent: true,
    async run(target) {
      const pacedClients = processes * PACED_CLIENTS_PER_PROCESS;
      const singleDirs = profileDirs('single');
      const single = await measure(
        {
          targetFor: (run) => chatServerTarget({ cpuProfileDir: singleDirs?.(run) }),
          profileDirOf: singleDirs,
          withRedis: false,
        },
        clients,
        messagesPerSender,
        pacedClients,
      );
      const clusterDirs = profileDirs('cluster');
      const shared = await measure(
        {
          targetFor: (run) => clusterTarget(processes, { cpuProfileDir: clusterDirs?.(run) }),
          profileDirOf: clusterDirs,
          withRedis: true,
        },
        clients,
        messagesPerSender,
        pacedClients,
      );
      const metrics: Metric[] = [];
      const paced = `${PACED_LINES_PER_SECOND} lines/s to ${PACED_CLIENTS_PER_PROCESS * processes}`;
      for (const [key, label, figures] of [
        ['single', 'one process', single],
        ['cluster', `${processes} processes`, shared],
      ] as const) {
        const figure = (name: string, what: string, unit: string, value: number | undefined, digits = 2) => ({
          key: `${key}${name}`,
          label: `${label}: ${what}`,
          unit,
          value: round(value, digits),
        });
        metrics.push(
          { ...figure('DeliveriesPerSec', 'deliveries/s', '/s', figures.deliveriesPerSecond, 0), better: 'higher' },
          { ...figure('P50Ms', 'latency p50', 'ms', figures.p50), better: 'lower' },
          { ...figure('P99Ms', 'latency p99', 'ms', figures.p99), better: 'lower' },
          figure('CpuPct', 'server CPU', '% core', figures.cpu, 0),
          figure('ProcessCpuPct', 'CPU per chat-server', '% core', figures.processCpu, 0),
          {
            ...figure('CpuMsPer1kDeliveries', 'server CPU per 1,000 deliveries', 'ms', figures.cpuMsPer1k),
            better: 'lower',
          },
          { ...figure('PacedP50Ms', `${paced}, p50`, 'ms', figures.pacedP50), better: 'lower' },
          { ...figure('PacedP99Ms', `${paced}, p99`, 'ms', figures.pacedP99), better: 'lower' },
          figure('PacedProcessCpuPct', `${paced}, CPU per chat-server`, '% core', figures.pacedProcessCpu, 0),
        );
        if (figures.redisCpu !== undefined) {
          metrics.push(
            figure('RedisCpuPct', 'redis-server CPU', '% core', figures.redisCpu, 0),
            figure('PacedRedisCpuPct', `${paced}, redis-server CPU`, '% core', figures.pacedRedisCpu, 0),
          );
        }
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

type Run = 'fan-out' | 'paced';

/** For each run, the target to measure and (when profiling) the folder its profiles go to. */
interface Runs {
  targetFor: (run: Run) => Target;
  profileDirOf?: (run: Run) => string;
  /** The target's last process is its redis-server. */
  withRedis: boolean;
}

async function measure(
  { targetFor, profileDirOf, withRedis }: Runs,
  clients: number,
  messagesPerSender: number,
  pacedClients: number,
) {
  const target = targetFor('fan-out');
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
  const paced = await withServer(targetFor('paced'), (server) =>
    runPaced(server, {
      clients: pacedClients,
      senders: SENDERS,
      linesPerSecond: PACED_LINES_PER_SECOND,
      seconds: PACED_SECONDS,
      paddingBytes: 64,
    }),
  );
  if (profileDirOf) {
    writeWindow(profileDirOf('fan-out'), fanOut.window);
    writeWindow(profileDirOf('paced'), paced.window);
  }
  const notes = [];
  if (fanOut.delivered < fanOut.expected) notes.push(`${target.name}: fan-out stopped with deliveries missing`);
  if (paced.delivered < paced.expected)
    notes.push(`${target.name}: ${paced.expected - paced.delivered} paced deliveries missing`);
  return {
    deliveriesPerSecond: fanOut.deliveriesPerSecond,
    p50: fanOut.latencyMs.p50,
    p99: fanOut.latencyMs.p99,
    cpu: fanOut.serverCpu,
    // CPU time (Redis included) per delivery: steadier than deliveries/s on a machine shared with other work.
    cpuMsPer1k: fanOut.serverCpu === undefined ? undefined : (fanOut.serverCpu * 10_000) / fanOut.deliveriesPerSecond,
    ...perProcess(fanOut.serverCpuEach, 'processCpu', 'redisCpu', withRedis),
    pacedP50: paced.latencyMs.p50,
    pacedP99: paced.latencyMs.p99,
    ...perProcess(paced.serverCpuEach, 'pacedProcessCpu', 'pacedRedisCpu', withRedis),
    notes,
  };
}

/** Mean CPU of the chat-server processes, and the redis-server's (the last pid) when there is one. */
function perProcess<P extends string, R extends string>(
  each: Array<number | undefined>,
  processKey: P,
  redisKey: R,
  withRedis: boolean,
): Record<P | R, number | undefined> {
  const servers = withRedis ? each.slice(0, -1) : each;
  const known = servers.filter((cpu): cpu is number => cpu !== undefined);
  const mean = known.length === 0 ? undefined : known.reduce((sum, cpu) => sum + cpu, 0) / known.length;
  return { [processKey]: mean, [redisKey]: withRedis ? each.at(-1) : undefined } as Record<P | R, number | undefined>;
}

function writeWindow(dir: string, window: MeasuredWindow): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, WINDOW_FILE), JSON.stringify(window));
}
