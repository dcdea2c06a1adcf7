import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port.js';

const running = new Set<RedisServer>();

/**
 * A real redis-server of the tests' own on 127.0.0.1 and a free port, with no persistence, so a restart
 * comes back empty as a restarted cache would. Stopped by stopRedisServers().
 */
export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.resume();
    running.add(server);
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it again on the same port (empty), after stop(). */
  async resume(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    this.child = child;
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error) => reject(new Error(`redis-server could not start: ${error.message}`)));
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) at start`)));
    });
    failed.catch(() => {});
    const deadline = performance.now() + 10_000;
    for (;;) {
      if ((await Promise.race([ping(this.port), failed])) === '+PONG') return;
      if (performance.now() > deadline) throw new Error('redis-server did not answer PING within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills it at once: everything it held is gone, as after a crash. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Sends one command (plain words) and returns the reply as raw RESP text. */
  command(...args: string[]): Promise<string> {
    return rawCommand(this.port, args);
  }
}

export async function stopRedisServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
  running.clear();
}

function ping(port: number): Promise<string> {
  return rawCommand(port, ['PING']).catch(() => '');
}

function rawCommand(port: number, args: string[]): Promise<string> {
  const request = `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply to ${args[0]}`));
    }, 2000);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.endsWith('\r\n')) {
        clearTimeout(timer);
        socket.end();
        resolve(reply.trimEnd());
      }
    });
    socket.write(request);
  });
}
