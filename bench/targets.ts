import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { LoadClient } from './load-client.js';

/** A server under test, up and listening. */
export interface RunningServer {
  host: string;
  port: number;
  /** Its process, when the bench started it: RSS and CPU are read from /proc. */
  pid?: number;
  /** Several processes serving one chat: clients take turns among these ports (the first is `port`). */
  ports?: number[];
  /** Every process of such a chat, Redis included, for CPU figures. */
  pids?: number[];
  stop(): Promise<void>;
}

/** Something the bench can measure: it gives a fresh server per scenario where it can. */
export interface Target {
  readonly name: string;
  /** What this target is, for the report. */
  readonly description: string;
  start(): Promise<RunningServer>;
}

export const REPO_ROOT = resolve(import.meta.dirname, '..');
/** The tutorial's Go server, kept beside its Go client in the test fixtures. */
export const ARTICLE_SERVER_SOURCE = resolve(REPO_ROOT, 'test/fixtures/article-server');

const LOOPBACK = '127.0.0.1';
const STOP_GRACE_MS = 8000;

/** Servers this process started, and their temporary folders: none outlives the bench, however it ends. */
const children = new Set<ChildProcess>();
const scratchDirs: string[] = [];
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  scratchDirs.push(dir);
  return dir;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

// No rate limits (the bench measures fan-out, not the flood guards; every client is on 127.0.0.1); room for
// 10,000 idle users and more.
const SERVER_ARGS = [
  '--ip',
  LOOPBACK,
  '--port',
  '0',
  '--rate',
  '0',
  '--max-clients',
  '20000',
  '--idle-timeout',
  '300',
  '--max-clients-per-ip',
  '0',
  '--join-rate',
  '0',
];

/** The project's own server, as its CLI runs it: `node bin/chat-server.js`, a child process of its own. */
export function chatServerTarget(options: { cpuProfileDir?: string } = {}): Target {
  const nodeArgs = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  return {
    name: 'chat-server',
    description: `node bin/chat-server.js ${SERVER_ARGS.join(' ')}`,
    async start() {
      const child = await startChatServer(nodeArgs, SERVER_ARGS);
      return { host: LOOPBACK, port: child.port, pid: child.pid, stop: () => stopChild(child, 'SIGTERM') };
    },
  };
}

/** `processes` chat-servers sharing one chat through a redis-server of their own (no persistence). */
export function clusterTarget(processes: number, options: { cpuProfileDir?: string } = {}): Target {
  const nodeArgs = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  return {
    name: `cluster-${processes}`,
    description: `${processes} x node bin/chat-server.js ${SERVER_ARGS.join(' ')} --redis (one redis-server)`,
    async start() {
      const redisPort = await freePort();
      const redis = track(
        spawn(
          'redis-server',
          [
            '--port',
            String(redisPort),
            '--bind',
            LOOPBACK,
            '--save',
            '',
            '--appendonly',
            'no',
            '--loglevel',
            'warning',
          ],
          { stdio: 'ignore', cwd: scratchDir() },
        ),
      );
      await untilAccepting(LOOPBACK, redisPort, redis);
      const redisArgs = ['--redis', `redis://${LOOPBACK}:${redisPort}`, '--redis-prefix', 'bench'];
      const servers: Array<ChildProcess & { port: number }> = [];
      for (let i = 0; i < processes; i += 1) {
        servers.push(await startChatServer(nodeArgs, [...SERVER_ARGS, ...redisArgs]));
      }
      const ports = servers.map((server) => server.port);
      return {
        host: LOOPBACK,
        port: ports[0]!,
        ports,
        pids: [...servers.map((server) => server.pid!), redis.pid!],
        stop: async () => {
          await Promise.all(servers.map((server) => stopChild(server, 'SIGTERM')));
          await stopChild(redis, 'SIGKILL');
        },
      };
    },
  };
}

/** Starts chat-server and waits for its `listening` line: the child, and the port it chose. */
async function startChatServer(nodeArgs: string[], serverArgs: string[]): Promise<ChildProcess & { port: number }> {
  // Its JSON log goes to a file, as in production: a pipe that the busy load generator drains late would
  // fill, and the server would drop log lines (and hold up to 1 MiB of them) rather than wait for it.
  const logFile = join(scratchDir(), 'chat-server.log');
  const logFd = openSync(logFile, 'w');
  const child = track(
    spawn(process.execPath, [...nodeArgs, join(REPO_ROOT, 'bin/chat-server.js'), ...serverArgs], {
      cwd: REPO_ROOT,
      stdio: ['ignore', logFd, 'pipe'],
    }),
  );
  closeSync(logFd);
  const port = await listeningPort(child, logFile);
  return Object.assign(child, { port });
}

/** The tutorial's Go server, built from test/fixtures/article-server into a temporary folder. */
export async function articleServerTarget(): Promise<Target | { unavailable: string }> {
  const run = promisify(execFile);
  try {
    await run('go', ['version']);
  } catch {
    return { unavailable: '`go` is not installed (apt-get install golang-go)' };
  }
  const binary = join(scratchDir(), 'article-server');
  try {
    await run('go', ['build', '-o', binary, '.'], {
      cwd: ARTICLE_SERVER_SOURCE,
      env: { ...process.env, GOFLAGS: '-mod=mod', GO111MODULE: 'on' },
    });
  } catch (error) {
    return { unavailable: `go build failed: ${((error as { stderr?: string }).stderr ?? String(error)).trim()}` };
  }
  return {
    name: 'article',
    description: `the tutorial's Go server (${binary} -timeout 300)`,
    async start() {
      const port = await freePort();
      const child = track(
        spawn(binary, ['-ip', LOOPBACK, '-port', String(port), '-timeout', '300'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
      child.stdout!.resume();
      child.stderr!.resume();
      await untilAccepting(LOOPBACK, port, child);
      // It has no graceful stop, and after its idle timeout it misbehaves: a fresh one per scenario, killed after.
      return { host: LOOPBACK, port, pid: child.pid, stop: () => stopChild(child, 'SIGKILL') };
    },
  };
}

/** Any server already running on this machine, given as host:port. It is not restarted between scenarios. */
export function externalTarget(hostPort: string): Target {
  const { host, port } = parseLoopbackTarget(hostPort);
  return {
    name: 'target',
    description: `the server at ${hostPort}`,
    start: async () => ({ host, port, stop: async () => {} }),
  };
}

/** host:port (or [v6]:port) on the loopback network; anything else is refused. */
export function parseLoopbackTarget(hostPort: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(hostPort.trim());
  if (!match) throw new Error(`--target must be host:port, got ${JSON.stringify(hostPort)}`);
  const rawHost = match[1] ?? match[2]!;
  const host = rawHost === 'localhost' ? LOOPBACK : rawHost;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) throw new Error(`--target port must be 1 to 65535, got ${port}`);
  if (!isLoopback(host))
    throw new Error(`--target must be a loopback address (127.0.0.0/8 or ::1); refusing ${rawHost}`);
  return { host, port };
}

export function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(host);
  return false;
}

/** The port from the server's JSON `listening` log line. */
function listeningPort(child: ChildProcess, logFile: string, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const deadline = performance.now() + timeoutMs;
    const look = setInterval(() => {
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        try {
          const entry = JSON.parse(line) as { event?: string; port?: number };
          if (entry.event === 'listening' && typeof entry.port === 'number') {
            clearInterval(look);
            return resolvePort(entry.port);
          }
        } catch {
          // not a whole log line yet
        }
      }
      if (performance.now() > deadline) {
        clearInterval(look);
        reject(new Error(`chat-server did not log "listening" within ${timeoutMs} ms: ${stderr.trim()}`));
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(look);
      reject(new Error(`chat-server exited (${code}) before listening: ${stderr.trim()}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function untilAccepting(host: string, port: number, child: ChildProcess, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before listening`);
    try {
      (await LoadClient.connect(host, port, 1000)).destroy();
      return;
    } catch {
      await new Promise((wake) => setTimeout(wake, 50));
    }
  }
  throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill(signal);
  });
}
