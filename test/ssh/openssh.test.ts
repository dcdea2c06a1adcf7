// The chat-server command with its SSH door open, reached by OpenSSH's own `ssh`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { LineClient, stopAll } from '../support/chat-server.js';
import { tempDir, userKey } from '../support/ssh.js';
import { until } from '../support/until.js';

const CLI = fileURLToPath(new URL('../../bin/chat-server.js', import.meta.url));
const children = new Set<ChildProcess>();

function hasOpenSsh(): boolean {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await stopAll();
});

interface Started {
  child: ChildProcess;
  tcpPort: number;
  sshPort: number;
  hostKeyPath: string;
  log: () => Array<Record<string, unknown>>;
}

/** chat-server with --ssh-port 0, once both listeners are open. */
async function startChatServer(extra: string[] = []): Promise<Started> {
  const hostKeyPath = join(tempDir(), 'ssh_host_ed25519_key');
  const child = spawn(
    process.execPath,
    [CLI, '--ip', '127.0.0.1', '--port', '0', '--ssh-port', '0', '--ssh-host-key', hostKeyPath, ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  const records: Array<Record<string, unknown>> = [];
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) records.push(JSON.parse(line) as Record<string, unknown>);
  });
  const find = (event: string) => records.find((record) => record.event === event);
  const deadline = Date.now() + 10_000;
  while (!find('ssh-listening')) {
    if (child.exitCode !== null) throw new Error(`chat-server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('chat-server did not open its SSH door');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    child,
    tcpPort: find('listening')!.port as number,
    sshPort: find('ssh-listening')!.port as number,
    hostKeyPath,
    log: () => records,
  };
}

/**
 * The options every OpenSSH run here shares: no user config, the server's host key pinned in a known_hosts
 * file of its own and checked strictly, no agent.
 */
function strictSshArgs(started: Started): string[] {
  const hostKey = ssh2.utils.parseKey(readFileSync(started.hostKeyPath)) as ssh2.ParsedKey;
  const knownHosts = join(tempDir(), 'known_hosts');
  writeFileSync(
    knownHosts,
    `[127.0.0.1]:${started.sshPort} ssh-ed25519 ${hostKey.getPublicSSH().toString('base64')}\n`,
  );
  return [
    ...['-F', '/dev/null', '-p', String(started.sshPort)],
    ...['-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'IdentityAgent=none'],
  ];
}

/** OpenSSH's client, strict about the host key (pinned in a known_hosts file), with the given options. */
function openSsh(started: Started, user: string, options: string[], input: string) {
  const child = spawn('ssh', [...strictSshArgs(started), '-T', ...options, `${user}@127.0.0.1`], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin!.write(input);
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, exited, stdout: () => stdout };
}

describe.skipIf(!hasOpenSsh())('OpenSSH against chat-server --ssh-port', { timeout: 30_000 }, () => {
  it('lets a user with a key in, in line mode, beside a TCP user, and exits 0 when input ends', async () => {
    const started = await startChatServer();
    const tcp = await LineClient.join(started.tcpPort);
    const dir = tempDir();
    const key = userKey();
    const identity = join(dir, 'id_ed25519');
    writeFileSync(identity, key.privateKey, { mode: 0o600 });
    const ssh = openSsh(
      started,
      'alice',
      ['-i', identity, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes'],
      'hello from openssh\n',
    );
    const said = await tcp.waitForLine((line) => line.endsWith(']alice:hello from openssh'), 10_000);
    const addr = said.slice(1, said.indexOf(']'));
    expect(tcp.lines).toContain(`[${addr}]alice:已上线`);
    await until(() => ssh.stdout().includes(`[${addr}]alice:hello from openssh\n`), {
      what: 'the echo over SSH',
      timeoutMs: 10_000,
    });
    ssh.child.stdin!.end();
    const outcome = await ssh.exited;
    expect(outcome.code).toBe(0);
    expect(outcome.stdout.split('\n')[0]).toBe(`[${addr}]alice:已上线`);
    await tcp.waitForLine((line) => line === `[${addr}]alice:下线`);

    const identityFile = join(dir, 'id_ed25519.pub');
    writeFileSync(identityFile, `${key.publicKey}\n`);
    const fingerprint = execFileSync('ssh-keygen', ['-lf', identityFile]).toString().split(' ')[1];
    expect(started.log().find((record) => record.event === 'ssh-connect')).toMatchObject({
      user: 'alice',
      auth: 'publickey',
      key: fingerprint,
    });
    const hostFingerprint = execFileSync('ssh-keygen', ['-lf', started.hostKeyPath]).toString().split(' ')[1];
    expect(started.log().find((record) => record.event === 'ssh-listening')).toMatchObject({
      hostKey: hostFingerprint,
    });
  });

  it('lets a user without a key in by keyboard-interactive, with no prompt', async () => {
    const started = await startChatServer();
    const ssh = openSsh(
      started,
      'bob',
      ['-o', 'PubkeyAuthentication=no', '-o', 'KbdInteractiveAuthentication=yes', '-o', 'PasswordAuthentication=no'],
      'who\n',
    );
    await until(() => ssh.stdout().includes(']bob:在线...\n'), { what: 'the reply to who', timeoutMs: 10_000 });
    ssh.child.stdin!.end();
    const outcome = await ssh.exited;
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).not.toMatch(/password|denied/i);
  });
});

/** OpenSSH's ssh in a real pseudo-terminal, its screen kept by a headless xterm. */
function openSshInPty(started: Started, user: string, identity: string, columns = 100, rows = 30) {
  const term = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true, scrollback: 0 });
  const child = pty.spawn(
    'ssh',
    [...strictSshArgs(started), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-i', identity, `${user}@127.0.0.1`],
    {
      name: 'xterm-256color',
      cols: columns,
      rows,
      env: { ...process.env, TERM: 'xterm-256color' } as Record<string, string>,
    },
  );
  let exitCode: number | undefined;
  child.onData((data) => term.write(data));
  child.onExit(({ exitCode: code }) => (exitCode = code));
  const screen = async () => {
    await new Promise<void>((resolve) => term.write('', resolve));
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < term.rows; row++)
      lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  return {
    type: (keys: string) => child.write(keys),
    resize: (newColumns: number, newRows: number) => {
      child.resize(newColumns, newRows);
      term.resize(newColumns, newRows);
    },
    async waitFor(text: string | RegExp): Promise<string> {
      let last: string;
      const deadline = Date.now() + 10_000;
      for (;;) {
        last = await screen();
        if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; the screen was:\n${last}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async exited(): Promise<number> {
      await until(() => exitCode !== undefined, { what: 'ssh to exit', timeoutMs: 10_000 });
      return exitCode!;
    },
    kill: () => child.kill(),
  };
}

describe.skipIf(!hasOpenSsh())('OpenSSH in a real pty against chat-server --ssh-port', { timeout: 30_000 }, () => {
  it('shows the chat-tui screen, follows a resize, and exits 0 on Ctrl+C', async () => {
    const started = await startChatServer();
    const tcp = await LineClient.join(started.tcpPort);
    const identity = join(tempDir(), 'id_ed25519');
    writeFileSync(identity, userKey().privateKey, { mode: 0o600 });
    const ssh = openSshInPty(started, 'dave', identity);
    try {
      const first = await ssh.waitFor('dave (you)');
      expect(first.split('\n')[0]).toMatch(/^ chat-tui · ssh 127\.0\.0\.1:\d+ · you are dave/);
      ssh.type('hello from a real terminal\r');
      await tcp.waitForLine((line) => line.endsWith(']dave:hello from a real terminal'));
      await ssh.waitFor(/^\d\d:\d\d dave: hello from a real terminal/m);
      ssh.resize(50, 14);
      await ssh.waitFor(/^─{50}$/m);
      ssh.type('\x03');
      expect(await ssh.exited()).toBe(0);
      await tcp.waitForLine((line) => line.endsWith(']dave:下线'));
    } finally {
      ssh.kill();
    }
  });
});

describe('chat-server --ssh-host-key', () => {
  it('exits 2 with one line when the host key cannot be used', async () => {
    const path = join(tempDir(), 'bad_key');
    writeFileSync(path, 'not a key\n');
    const child = spawn(process.execPath, [CLI, '--port', '0', '--ssh-port', '0', '--ssh-host-key', path], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^chat-server: cannot use the SSH host key .*bad_key/);
  });
});
