import cluster from 'node:cluster';
import type { Level } from 'pino';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkPort, checkWholeNumber, given } from '../cli/checks.js';
import { fail as failWith } from '../cli/fail.js';
import { VERSION } from '../cli/version.js';
import { ChatServer } from './chat-server.js';
import { describeListenError } from './listen-error.js';
import { createLogger, LOG_LEVELS } from './logger.js';
import { DEFAULT_OPTIONS, DEFAULT_OUTAGE_LIMIT_MS, DEFAULT_REDIS_PREFIX } from './options.js';
import { TrustedProxies } from './proxy-header.js';
import { RedisUnreachableError } from './room/redis-unreachable.js';
import { checkSshFlags, sshFlags } from '../ssh/options.js';

const ENV_PREFIX = 'CHAT_SERVER';
const MAX_TIMER_SECONDS = 2_147_483;
/** SIGINT/SIGTERM must end the process within this, even if a peer never reads its goodbye. */
const SHUTDOWN_DEADLINE_MS = 5000;
/** Before exiting, stdout gets the last log lines unless it takes nothing for this long. */
const LOG_STALL_MS = 500;

const env = (flag: string) => `[env ${ENV_PREFIX}_${flag.toUpperCase().replaceAll('-', '_')}]`;

const fail = (message: string): never => failWith('chat-server', message);

/** `--proxy-from 10.0.0.5,10.0.1.0/24` as its entries. */
const proxyFrom = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

const argv = yargs(hideBin(process.argv))
  .scriptName('chat-server')
  .usage("$0 [options]\n\nA chat server for nc, the tutorial's Go client and chat-tui, on a simple line protocol.")
  .env(ENV_PREFIX)
  .options({
    ip: { type: 'string', default: DEFAULT_OPTIONS.host, describe: `address to listen on (IPv4 or IPv6) ${env('ip')}` },
    port: { type: 'number', default: DEFAULT_OPTIONS.port, describe: `TCP port; 0 picks a free one ${env('port')}` },
    'idle-timeout': {
      type: 'number',
      default: DEFAULT_OPTIONS.idleTimeoutMs / 1000,
      describe: `seconds without a line before a user is kicked; 0 = never ${env('idle-timeout')}`,
    },
    'max-clients': {
      type: 'number',
      default: DEFAULT_OPTIONS.maxClients,
      describe: `connections served at once ${env('max-clients')}`,
    },
    'max-line-bytes': {
      type: 'number',
      default: DEFAULT_OPTIONS.maxLineBytes,
      describe: `longest accepted line ${env('max-line-bytes')}`,
    },
    'max-queue-bytes': {
      type: 'number',
      default: DEFAULT_OPTIONS.maxQueueBytes,
      describe: `unsent bytes a connection may hold before it is dropped as too slow ${env('max-queue-bytes')}`,
    },
    rate: {
      type: 'number',
      default: DEFAULT_OPTIONS.rate,
      describe: `lines per second per connection; 0 = unlimited ${env('rate')}`,
    },
    burst: {
      type: 'number',
      default: DEFAULT_OPTIONS.burst,
      describe: `lines a connection may send at once ${env('burst')}`,
    },
    'max-clients-per-ip': {
      type: 'number',
      default: DEFAULT_OPTIONS.maxClientsPerIp,
      describe: `connections one address (IPv6: one /64) may hold at once; 0 = unlimited ${env('max-clients-per-ip')}`,
    },
    'join-rate': {
      type: 'number',
      default: DEFAULT_OPTIONS.joinRate,
      describe: `new connections per second per address; 0 = unlimited ${env('join-rate')}`,
    },
    'join-burst': {
      type: 'number',
      default: DEFAULT_OPTIONS.joinBurst,
      describe: `new connections an address may open at once ${env('join-burst')}`,
    },
    'proxy-from': {
      type: 'string',
      describe: `load balancers (addresses or CIDR ranges, comma-separated) whose connections begin with a PROXY protocol header naming the client ${env('proxy-from')}`,
    },
    ...sshFlags((flag, text) => `${text} ${env(flag)}`),
    redis: {
      type: 'string',
      describe: `Redis URL (redis://host:6379/0): every process given the same one (and prefix) is one chat ${env('redis')}`,
    },
    'redis-prefix': {
      type: 'string',
      default: DEFAULT_REDIS_PREFIX,
      describe: `start of every Redis key, so several chats can share one Redis ${env('redis-prefix')}`,
    },
    'redis-outage-limit': {
      type: 'number',
      default: DEFAULT_OUTAGE_LIMIT_MS / 1000,
      describe: `seconds cut off from Redis before users are told and disconnected ${env('redis-outage-limit')}`,
    },
    workers: {
      type: 'number',
      describe: `processes serving one port, joined through --redis (default 1) ${env('workers')}`,
    },
    'log-level': {
      choices: [...LOG_LEVELS, 'silent'] as const,
      default: 'info' as const,
      describe: `log detail ${env('log-level')}`,
    },
  })
  .check((args) => {
    checkPort(args.port);
    checkWholeNumber('max-clients', args['max-clients'], 1);
    checkWholeNumber('max-line-bytes', args['max-line-bytes'], 1);
    checkWholeNumber('max-queue-bytes', args['max-queue-bytes'], 1);
    checkWholeNumber('burst', args.burst, 1);
    checkWholeNumber('max-clients-per-ip', args['max-clients-per-ip'], 0);
    checkWholeNumber('join-burst', args['join-burst'], 1);
    if (args['ssh-port'] !== undefined) checkPort(args['ssh-port'], 'ssh-port');
    checkSshFlags(args);
    // Node's timers hold at most 2^31-1 ms; a longer one fires at once.
    const seconds = (
      flag: 'idle-timeout' | 'rate' | 'join-rate' | 'redis-outage-limit',
      value: number,
      min: number,
      max: number,
    ) => {
      if (!Number.isFinite(value) || (value !== 0 && (value < min || value > max))) {
        throw new Error(`--${flag} must be 0 (off) or a number from ${min} to ${max} ${given(value)}`);
      }
    };
    seconds('idle-timeout', args['idle-timeout'], 0.001, MAX_TIMER_SECONDS);
    seconds('rate', args.rate, 1 / MAX_TIMER_SECONDS, 1_000_000);
    seconds('join-rate', args['join-rate'], 1 / MAX_TIMER_SECONDS, 1_000_000);
    if (args.ip.trim() === '') throw new Error('--ip must not be empty');
    new TrustedProxies(proxyFrom(args['proxy-from']));
    if (args.workers !== undefined) {
      checkWholeNumber('workers', args.workers, 1, 256);
      if (args.redis === undefined) throw new Error('--workers needs --redis: the processes share one chat through it');
    }
    if (args.redis !== undefined && !/^rediss?:\/\/[^/\s]/.test(args.redis)) {
      throw new Error(`--redis must be a URL such as redis://127.0.0.1:6379/0 (got ${JSON.stringify(args.redis)})`);
    }
    if (!/^[^\s:]+$/.test(args['redis-prefix'])) {
      throw new Error('--redis-prefix must be a word without spaces or colons');
    }
    seconds('redis-outage-limit', args['redis-outage-limit'], 0.001, MAX_TIMER_SECONDS);
    if (args['redis-outage-limit'] === 0) throw new Error('--redis-outage-limit must be more than 0');
    return true;
  })
  .strict()
  .version(VERSION)
  .help()
  .alias('h', 'help')
  .epilog(`Every option can also be set by its environment variable, shown in brackets.`)
  .wrap(Math.min(100, process.stdout.columns || 100))
  .fail((message, error) => fail(error?.message ?? message))
  .parseSync();

const { logger, outlet } = createLogger(
  argv['log-level'] as Level | 'silent',
  Boolean(process.stdout.isTTY),
  process.stdout,
);
const redis =
  argv.redis === undefined
    ? undefined
    : {
        url: argv.redis,
        prefix: argv['redis-prefix'],
        outageLimitMs: Math.round(argv['redis-outage-limit'] * 1000),
      };

if ((argv.workers ?? 1) > 1 && cluster.isPrimary) {
  const { checkRedis, runWorkers } = await import('./workers.js');
  try {
    await checkRedis(redis!.url);
  } catch (error) {
    fail((error as Error).message);
  }
  const workers = runWorkers(argv.workers!, logger);
  let stoppingWorkers = false;
  const stopWorkers = (signal: NodeJS.Signals) => {
    if (stoppingWorkers) process.exit(1);
    stoppingWorkers = true;
    void workers.stop(signal);
  };
  process.on('SIGINT', stopWorkers);
  process.on('SIGTERM', stopWorkers);
  void workers.done.then((code) => process.exit(code));
} else {
  await serve();
}

async function serve(): Promise<void> {
  // The workers of --workers share one stdout: each of their lines says which worker wrote it.
  const log = cluster.isWorker ? logger.child({ worker: cluster.worker!.id }) : logger;
  const server = new ChatServer({
    host: argv.ip,
    port: argv.port,
    idleTimeoutMs: Math.round(argv['idle-timeout'] * 1000),
    maxClients: argv['max-clients'],
    maxLineBytes: argv['max-line-bytes'],
    maxQueueBytes: argv['max-queue-bytes'],
    rate: argv.rate,
    burst: argv.burst,
    maxClientsPerIp: argv['max-clients-per-ip'],
    joinRate: argv['join-rate'],
    joinBurst: argv['join-burst'],
    proxyFrom: proxyFrom(argv['proxy-from']),
    logger: log,
    redis,
  });

  try {
    await server.start();
  } catch (error) {
    if (error instanceof RedisUnreachableError) fail(error.message);
    fail(describeListenError(error as NodeJS.ErrnoException, argv.ip, argv.port));
  }

  // The SSH door, only when asked for: without it no SSH code is loaded.
  let sshDoor: { stop(): Promise<void> } | undefined;
  if (argv['ssh-port'] !== undefined) {
    const { openSshDoor } = await import('../ssh/start.js');
    sshDoor = await openSshDoor(server, {
      host: argv.ip,
      port: argv['ssh-port'],
      hostKeyPath: argv['ssh-host-key'],
      authorizedKeysPath: argv['ssh-authorized-keys'],
      maxSessions: argv['ssh-max-sessions'],
      maxSessionsPerIp: argv['ssh-max-sessions-per-ip'],
      lang: argv['ssh-lang'],
      logger: log,
    }).catch((error: Error) => fail(error.message));
  }

  let shuttingDown = false;
  function shutDown(signal: NodeJS.Signals): void {
    if (shuttingDown) process.exit(1);
    shuttingDown = true;
    log.info({ event: 'shutdown', signal, online: server.connectionCount });
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    void Promise.all([server.stop(), sshDoor?.stop()])
      .then(() => outlet.flush(LOG_STALL_MS))
      .then(() => process.exit(0));
  }
  // A worker's stop comes from its primary (SIGTERM); the terminal's Ctrl+C reaches the primary as well.
  process.on('SIGINT', cluster.isWorker ? () => {} : shutDown);
  process.on('SIGTERM', shutDown);
  process.on('uncaughtException', (error) => {
    log.fatal({ event: 'crash', err: error.message, stack: error.stack });
    setTimeout(() => process.exit(1), LOG_STALL_MS).unref();
    void outlet.flush(LOG_STALL_MS).then(() => process.exit(1));
  });
}
