import { afterEach, describe, expect, it } from 'vitest';
import { LineClient, startServer, stopAll } from '../support/chat-server.js';
import { killAll, launch, type Outcome } from '../support/server-command.js';

afterEach(async () => {
  killAll();
  await stopAll();
});

function expectOneLineError(outcome: Outcome, pattern: RegExp): void {
  expect(outcome.code).not.toBe(0);
  expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
  expect(outcome.stderr).toMatch(pattern);
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
}

describe('the chat-server command', () => {
  it('prints help that names every flag and its environment variable', async () => {
    const outcome = await launch(['--help']).exited;
    expect(outcome.code).toBe(0);
    for (const flag of [
      'ip',
      'port',
      'idle-timeout',
      'max-clients',
      'max-line-bytes',
      'max-queue-bytes',
      'rate',
      'burst',
      'log-level',
      'redis',
      'redis-prefix',
      'redis-outage-limit',
      'workers',
      'proxy-from',
      'ssh-port',
      'ssh-host-key',
      'ssh-authorized-keys',
      'ssh-lang',
      'ssh-max-sessions',
      'ssh-max-sessions-per-ip',
    ]) {
      expect(outcome.stdout).toContain(`--${flag}`);
      expect(outcome.stdout).toContain(`CHAT_SERVER_${flag.toUpperCase().replaceAll('-', '_')}`);
    }
  });

  it('answers bad flags and values with one line and a non-zero exit', async () => {
    expectOneLineError(await launch(['--bogus']).exited, /Unknown argument: bogus/);
    expectOneLineError(await launch(['--port', 'abc']).exited, /--port must be a whole number/);
    expectOneLineError(await launch(['--port', '70000']).exited, /--port must be a whole number from 0 to 65535/);
    expectOneLineError(
      await launch([], { CHAT_SERVER_IDLE_TIMEOUT: '-5' }).exited,
      /--idle-timeout must be 0 \(off\) or a number/,
    );
    // Past Node's longest timer, a timeout would fire at once and kick everyone.
    expectOneLineError(
      await launch(['--idle-timeout', '3000000']).exited,
      /--idle-timeout must be 0 \(off\) or a number from 0\.001 to 2147483/,
    );
    expectOneLineError(await launch(['--rate', '1e-9']).exited, /--rate must be 0 \(off\) or a number/);
    expectOneLineError(await launch(['--log-level', 'loud']).exited, /log-level/);
    expectOneLineError(
      await launch(['--proxy-from', '10.0.0.5,10.0.0.0/33']).exited,
      /--proxy-from: not an address or a CIDR range: "10\.0\.0\.0\/33"/,
    );
  });

  it('answers SSH door settings it cannot use with one line, as chat-tui --serve does', async () => {
    expectOneLineError(await launch(['--ssh-port']).exited, /Not enough arguments following: ssh-port/);
    expectOneLineError(
      await launch(['--ssh-port', '0', '--ssh-host-key', '']).exited,
      /--ssh-host-key must name a file/,
    );
    expectOneLineError(
      await launch(['--ssh-port', '0', '--ssh-max-sessions', '0']).exited,
      /--ssh-max-sessions must be a whole number from 1 /,
    );
    expectOneLineError(
      await launch([], { CHAT_SERVER_SSH_MAX_SESSIONS_PER_IP: '-1' }).exited,
      /--ssh-max-sessions-per-ip must be a whole number from 0 /,
    );
  });

  it('answers Redis settings it cannot use with one line and exit status 2', async () => {
    const refused = await launch(['--workers', '2']).exited;
    expectOneLineError(refused, /--workers needs --redis/);
    expect(refused.code).toBe(2);
    expectOneLineError(await launch(['--redis', 'localhost:6379']).exited, /--redis must be a URL/);
    expectOneLineError(await launch(['--redis', 'redis://127.0.0.1:1', '--redis-prefix', 'a b']).exited, /prefix/);
    for (const workers of [[], ['--workers', '2']]) {
      const unreachable = await launch(['--port', '0', '--redis', 'redis://127.0.0.1:1', ...workers]).exited;
      expectOneLineError(unreachable, /^chat-server: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
      expect(unreachable.code).toBe(2);
    }
  });

  it('says so when the port is in use', async () => {
    const { port } = await startServer();
    expectOneLineError(
      await launch(['--port', String(port)]).exited,
      new RegExp(`127\\.0\\.0\\.1:${port} is already in use`),
    );
  });

  it('serves, logs JSON lines, and on SIGTERM says goodbye and exits 0', async () => {
    const server = launch(['--port', '0', '--ip', '127.0.0.1']);
    await expect.poll(() => server.output(), { timeout: 5000 }).toContain('"event":"listening"');
    const listening = JSON.parse(server.output().split('\n')[0]!) as { port: number };
    const alice = await LineClient.join(listening.port);
    await expect.poll(() => server.output(), { timeout: 5000 }).toContain('"event":"connect"');

    const signalledAt = performance.now();
    server.child.kill('SIGTERM');
    const outcome = await server.exited;
    expect(outcome.code).toBe(0);
    expect(performance.now() - signalledAt).toBeLessThan(5000);
    await alice.waitForClose();
    expect(alice.lines.at(-1)).toBe('服务器已关闭');
    const events = outcome.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).toEqual(expect.arrayContaining(['listening', 'connect', 'shutdown']));
  });

  it('takes its settings from the environment', async () => {
    const server = launch([], { CHAT_SERVER_PORT: '0', CHAT_SERVER_MAX_CLIENTS: '1' });
    await expect.poll(() => server.output(), { timeout: 5000 }).toContain('"event":"listening"');
    const { port } = JSON.parse(server.output().split('\n')[0]!) as { port: number };
    await LineClient.join(port);
    const refused = await LineClient.open(port);
    await refused.waitForClose();
    expect(refused.lines).toEqual(['服务器已满，请稍后再试']);
    await expect.poll(() => server.output(), { timeout: 5000 }).toContain('"event":"refuse"');
  });
});
