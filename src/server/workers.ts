import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { connectRedis } from './room/redis-connection.js';
import { redactedUrl } from './room/redis-room.js';

/** A worker that stops after it has served is started again after this. */
const RESTART_DELAY_MS = 1000;
/** Workers get this long to say goodbye to their users and leave the room before the primary exits. */
const SHUTDOWN_DEADLINE_MS = 6000;

/** Whether Redis answers, asked once before any worker starts, so a wrong URL is one line and not N. */
export async function checkRedis(url: string): Promise<void> {
  try {
    const connection = await connectRedis(url, 'chat-server-check');
    connection.close();
  } catch (error) {
    throw new Error(`cannot reach Redis at ${redactedUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The primary of `chat-server --workers N`: N copies of this command share one port (Node's cluster module
 * hands each new connection to the next worker) and one chat (each joins the room through Redis). The
 * primary serves nobody; it restarts a worker that dies, and on SIGINT or SIGTERM stops them all.
 */
export function runWorkers(count: number, log: Logger): void {
  let stopping = false;
  let startFailed = false;
  const served = new Set<Worker>();
  // A worker's stderr is held until it serves: when they all fail alike at start, the user reads it once.
  cluster.setupPrimary({ stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });

  const fork = () => {
    const worker = cluster.fork();
    let held = '';
    worker.process.stderr?.on('data', (chunk: Buffer) => {
      if (served.has(worker)) process.stderr.write(chunk);
      else held += chunk.toString();
    });
    worker.on('listening', () => {
      served.add(worker);
      if (held) process.stderr.write(held);
      held = '';
    });
    worker.on('exit', (code, signal) => {
      if (!served.has(worker) && !stopping) {
        // It could not start (the port is taken, say): neither will the others.
        if (!startFailed) process.stderr.write(held);
        startFailed = true;
        stopAll('start-failed', code ?? 1);
        return;
      }
      served.delete(worker);
      if (stopping) return;
      log.error({ event: 'worker-exit', pid: worker.process.pid, code, signal });
      setTimeout(fork, RESTART_DELAY_MS).unref();
    });
  };

  const stopAll = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'shutdown', signal: reason, workers: Object.keys(cluster.workers ?? {}).length });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    const exit = () => process.exit(exitCode);
    setTimeout(exit, SHUTDOWN_DEADLINE_MS).unref();
    const exitWhenNoneLeft = () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) exit();
    };
    cluster.on('exit', exitWhenNoneLeft);
    exitWhenNoneLeft();
  };

  for (let i = 0; i < count; i += 1) fork();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopAll(signal, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
