import cluster, { type Worker } from 'node:cluster';
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { connectRedis } from './room/redis-connection.js';
import { redactedUrl } from './room/redis-room.js';

/** A worker that stops after it has served is started again after this. */
const RESTART_DELAY_MS = 1000;
/** Workers get this long to say goodbye to their users and leave the room before the rest are killed. */
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

export interface WorkerSettings {
  /** The script each worker runs, and its arguments; by default this process's own. */
  exec?: string;
  args?: string[];
  execArgv?: string[];
  /** Where the workers' error lines go; by default this process's stderr. */
  stderr?: Writable;
}

export interface Workers {
  /** Asks every worker to stop (SIGTERM: each says goodbye to its users); resolves as `done` does. */
  stop(reason: string): Promise<number>;
  /** Resolves once every worker has exited after a stop, with the status this command should exit with. */
  readonly done: Promise<number>;
}

/**
 * The primary of `chat-server --workers N`: N copies of the command share one port (Node's cluster module
 * hands each new connection to the next worker) and one chat (each joins the room through Redis). The
 * primary serves nobody; it starts a worker that dies again, and stops them all when asked. A worker that
 * fails before it serves (the port is taken, say) stops them all: the others would fail alike.
 */
export function runWorkers(count: number, log: Logger, settings: WorkerSettings = {}): Workers {
  const stderr = settings.stderr ?? process.stderr;
  const { exec, args, execArgv } = settings;
  cluster.setupPrimary({
    ...(exec === undefined ? {} : { exec }),
    ...(args === undefined ? {} : { args }),
    ...(execArgv === undefined ? {} : { execArgv }),
    // A worker's stderr is held until it serves: when they all fail alike at start, the user reads it once.
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  const workers = new Set<Worker>();
  const served = new Set<Worker>();
  let stopping: Promise<number> | undefined;
  let exitCode = 0;
  let reportedStartError = false;
  let allExited: () => void = () => {};
  const noneLeft = new Promise<void>((resolve) => (allExited = resolve));
  let restartTimer: NodeJS.Timeout | undefined;
  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  const fork = () => {
    const worker = cluster.fork();
    workers.add(worker);
    let held = '';
    worker.process.stderr?.on('data', (chunk: Buffer) => {
      if (served.has(worker)) stderr.write(chunk);
      else held += chunk.toString();
    });
    worker.on('listening', () => {
      served.add(worker);
      if (held) stderr.write(held);
      held = '';
    });
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      const hadServed = served.delete(worker);
      if (workers.size === 0 && stopping) allExited();
      if (stopping) return;
      if (!hadServed) {
        if (!reportedStartError) stderr.write(held);
        reportedStartError = true;
        void stop('start-failed', code || 1);
        return;
      }
      log.error({ event: 'worker-exit', pid: worker.process.pid, code, signal });
      restartTimer = setTimeout(fork, RESTART_DELAY_MS);
    });
  };

  const stop = (reason: string, status = 0): Promise<number> => {
    stopping ??= (async () => {
      exitCode = status;
      clearTimeout(restartTimer);
      log.info({ event: 'shutdown', signal: reason, workers: workers.size });
      if (workers.size === 0) allExited();
      for (const worker of workers) worker.process.kill('SIGTERM');
      const deadline = setTimeout(() => {
        for (const worker of workers) worker.process.kill('SIGKILL');
      }, SHUTDOWN_DEADLINE_MS);
      await noneLeft;
      clearTimeout(deadline);
      resolveDone(exitCode);
      return exitCode;
    })();
    return stopping;
  };

  for (let i = 0; i < count; i += 1) fork();
  return { stop, done };
}
