import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { connect } from 'node:net';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, type ClientEvent } from '../../src/tui/client.js';
import { buildGo, GO_MISSING } from '../support/go.js';
import { freePort } from '../support/free-port.js';
import { until } from '../support/until.js';
import { spawnChatTui, type Terminal } from './terminal-harness.js';

const SOURCE = fileURLToPath(new URL('../fixtures/article-server', import.meta.url));
const skipReason = spawnSync('go', ['version']).status !== 0 ? GO_MISSING : undefined;
if (skipReason) console.log(`skipping the test against the tutorial's Go server: ${skipReason}`);

/** Whether something accepts connections on `port` of 127.0.0.1. */
function listening(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function waitForPort(port: number): Promise<void> {
  return until(() => listening(port), {
    timeoutMs: 10_000,
    everyMs: 50,
    what: `the article's server to listen on ${port}`,
  });
}

/** The article's server and the client take their time on a loaded machine. */
const SLOW = { timeoutMs: 10_000, everyMs: 20 };

describe.skipIf(skipReason !== undefined)("chat-tui against the article's own Go server", { timeout: 30_000 }, () => {
  let binary: string;
  let server: ChildProcess | undefined;
  const terminals: Terminal[] = [];
  const cleanups: Array<() => void> = [];

  beforeAll(async () => {
    const build = await buildGo(SOURCE, 'article-server');
    if ('skipped' in build) throw new Error(build.skipped);
    binary = build.binary;
  }, 120_000);

  afterEach(() => {
    for (const terminal of terminals.splice(0)) terminal.kill();
    for (const cleanup of cleanups.splice(0)) cleanup();
    server?.kill('SIGKILL');
    server = undefined;
  });

  afterAll(() => binary && rmSync(dirname(binary), { recursive: true, force: true }));

  it('chats in public and in private', async () => {
    const port = await freePort();
    server = spawn(binary, ['-port', String(port), '-timeout', '300'], { stdio: 'ignore' });
    await waitForPort(port);
    const join = (name: string) => {
      const terminal = spawnChatTui(['--port', String(port), '--name', name, '--lang', 'en']);
      terminals.push(terminal);
      return terminal;
    };
    const alice = join('alice');
    await alice.waitFor('alice (you)');
    const bob = join('bob');
    await bob.waitFor('bob (you)');
    alice.type('hello from the article\r');
    await bob.waitFor('alice: hello from the article');
    await alice.waitFor('alice: hello from the article');
    bob.type('/msg alice just for you\r');
    await alice.waitFor('bob → you: just for you');
    await bob.waitFor('you → alice: just for you');
  });

  it('keeps every part of a long private message private', async () => {
    const port = await freePort();
    server = spawn(binary, ['-port', String(port), '-timeout', '300'], { stdio: 'ignore' });
    await waitForPort(port);
    // Someone else in the room, reading everything that is broadcast.
    const carol = connect(port, '127.0.0.1');
    let seen = '';
    carol.on('data', (chunk) => (seen += chunk.toString('utf8')));
    cleanups.push(() => carol.destroy());
    const join = async (name: string) => {
      const client = new ChatClient({ host: '127.0.0.1', port, name });
      const events: ClientEvent[] = [];
      client.subscribe((event) => events.push(event));
      cleanups.push(() => client.close());
      await client.connect();
      return { client, events };
    };
    const alice = await join('alice');
    const bob = await join('bob');
    const renamed = (events: ClientEvent[]) =>
      events.some((event) => event.type === 'server' && event.event.type === 'renamed');
    await until(() => renamed(alice.events) && renamed(bob.events), SLOW);
    const text = Array.from({ length: 10_000 }, (_, index) => '私密内容'[index % 4]).join('');
    expect(bob.client.sendPrivate('alice', text)).toBe(true);
    const received = () =>
      alice.events
        .flatMap((event) => (event.type === 'server' && event.event.type === 'private' ? [event.event.text] : []))
        .join('');
    await until(() => received().length >= text.length, SLOW);
    expect(received()).toBe(text);
    // Broadcasts reach carol in order: once she has bob's next public line, any leak would be before it.
    bob.client.sendPublic('done');
    await until(() => seen.includes(':done'), SLOW);
    expect(seen).not.toContain('私');
  });
});
