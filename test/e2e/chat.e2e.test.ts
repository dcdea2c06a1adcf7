import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatServer } from '../../src/server/chat-server.js';
import { DEFAULT_OPTIONS, type ChatServerOptions } from '../../src/server/options.js';
import { startServer, stopAll } from '../support/chat-server.js';
import { spawnChatTui, type Terminal } from './terminal-harness.js';

let server: ChatServer;
let port: number;
const terminals: Terminal[] = [];
const cleanups: Array<() => void> = [];

/** Starts the server chat-tui connects to: the default rate limit, no idle kick unless a test asks for one. */
async function serve(options: Partial<ChatServerOptions> = {}): Promise<void> {
  ({ server, port } = await startServer({ rate: DEFAULT_OPTIONS.rate, idleTimeoutMs: 0, ...options }));
}

function launch(args: string[], options: { columns?: number; rows?: number; env?: NodeJS.ProcessEnv } = {}): Terminal {
  const terminal = spawnChatTui(args, options);
  terminals.push(terminal);
  return terminal;
}

/** Joined, named, and listed in its own sidebar: ready to chat. */
async function joined(name: string, options?: { columns?: number; rows?: number }): Promise<Terminal> {
  const terminal = launch(['--port', String(port), '--name', name, '--lang', 'en'], options);
  await terminal.waitFor(`you are ${name}`);
  await terminal.waitFor(`${name} (you)`);
  return terminal;
}

/**
 * One frame, drawn once: a redraw that lost track of the cursor leaves a second header or status bar for
 * good. A frame caught half redrawn is only passing, so this waits for a whole one rather than reading once.
 */
function cleanFrame(terminal: Terminal, alsoShowing = '', header = 'chat-tui ·'): Promise<string> {
  return terminal.waitFor(
    (screen) =>
      screen.split(header).length === 2 &&
      screen.split('[F2').length === 2 &&
      screen.split('\n')[0]!.includes(header) &&
      screen.includes(alsoShowing),
  );
}

/** The input line in public mode, empty: a row holding only the prompt. */
const PUBLIC_PROMPT = /^› *$/m;

/** The sidebar's text: what stands right of the pane's `│` on each row. */
function sidebar(screen: string): string {
  return screen
    .split('\n')
    .map((row) => (row.includes('│') ? row.slice(row.lastIndexOf('│') + 1).trim() : ''))
    .join('\n');
}

beforeEach(async () => {
  await serve();
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    // Every screen of the failed test, to see who missed what.
    for (const [index, terminal] of terminals.entries()) console.log(`--- terminal ${index}:\n${terminal.screen()}`);
  }
  for (const terminal of terminals.splice(0)) terminal.kill();
  for (const cleanup of cleanups.splice(0)) cleanup();
  await stopAll();
});

describe('chat-tui in a real terminal', { timeout: 30_000 }, () => {
  it('shows a public message on every screen', async () => {
    const [alice, bob, carol] = await Promise.all([joined('alice'), joined('bob'), joined('carol')]);
    await alice.waitFor('Online (3)');
    alice.type('hello everyone\r');
    for (const terminal of [alice, bob, carol]) await cleanFrame(terminal, 'alice: hello everyone');
  });

  it('shows a private message only to its target, with an echo for the sender, pasted lines included', async () => {
    const [alice, bob, carol] = await Promise.all([joined('alice'), joined('bob'), joined('carol')]);
    // F3: private mode. It asks `who`, which brings the names bob and carol chose after joining; nobody is
    // chosen yet, so the user list takes the keys.
    alice.type('\x1bOR');
    await alice.waitFor('choose a user');
    await alice.waitFor((screen) => sidebar(screen).includes('bob') && sidebar(screen).includes('carol'));
    const rows = sidebar(await alice.waitFor(/› (alice|bob|carol)/)).split('\n');
    const distance = rows.findIndex((row) => /^(› )?bob\b/.test(row)) - rows.findIndex((row) => row.startsWith('›'));
    alice.type((distance > 0 ? '\x1b[B' : '\x1b[A').repeat(Math.abs(distance)));
    await alice.waitFor('› bob');
    alice.type('\r');
    await alice.waitFor('to bob ›');
    // A paste of two lines: both private, neither public.
    alice.type('psst one\rpsst two\r');
    expect(await cleanFrame(bob, 'alice → you: psst two')).toContain('alice → you: psst one');
    expect(await cleanFrame(alice, 'you → bob: psst two')).toContain('you → bob: psst one');
    // Esc back to public; carol sees this public line but no private one before it.
    alice.type('\x1b');
    await alice.waitFor(PUBLIC_PROMPT);
    alice.type('public again\r');
    expect(await cleanFrame(carol, 'alice: public again')).not.toContain('psst');
    expect(await cleanFrame(bob, 'alice: public again')).not.toMatch(/alice: psst/);
    await cleanFrame(alice, 'alice: public again');
  });

  it('shows a rename in the other user’s sidebar', async () => {
    const [alice, bob] = await Promise.all([joined('alice'), joined('bob')]);
    await bob.waitFor('Online (2)');
    alice.type('\x1bOS'); // F4: rename mode
    await alice.waitFor('new name ›');
    alice.type('alicia\r');
    await alice.waitFor('you are alicia');
    await alice.waitFor('alicia (you)');
    alice.type('I have a new name\r');
    await bob.waitFor('alicia: I have a new name');
    const screen = await bob.waitFor((text) => sidebar(text).includes('alicia'));
    expect(sidebar(screen)).not.toMatch(/^alice$/m);
  });

  it('names a user from the start after their login, the next free one when taken, and others learn it', async () => {
    const bob = await joined('bob');
    // Someone on a raw connection holds "carol".
    const holder = connect({ host: '127.0.0.1', port });
    holder.on('error', () => {});
    cleanups.push(() => holder.destroy());
    await new Promise((resolve) => holder.once('connect', resolve));
    holder.write('rename|carol\n');
    await bob.waitFor(/is now carol|Online \(2\)/);
    const carol = launch(['--port', String(port), '--lang', 'en'], { env: { USER: 'carol' } });
    await carol.waitFor('you are carol-2');
    await carol.waitFor('carol-2 (you)');
    carol.type('hello from carol-2\r');
    const screen = await bob.waitFor('carol-2: hello from carol-2');
    expect(screen).toMatch(/\* 127\.0\.0\.1:\d+ is now carol-2/);
    expect(sidebar(screen)).toContain('carol-2');
  });

  it('says so after an idle kick and reconnects when asked', async () => {
    await server.stop();
    await serve({ idleTimeoutMs: 1_500 });
    const alice = launch(['--port', String(port), '--name', 'alice', '--lang', 'en']);
    await alice.waitFor('disconnected you for being idle');
    await alice.waitFor('Ctrl+R');
    alice.type('\x12'); // Ctrl+R
    // Connected again (the second `connected to`); it may be kicked again soon after, which is fine here.
    await alice.waitFor((screen) => screen.split('connected to').length === 3);
  });

  it('reconnects after the server restarts on the same port, keeping its name', async () => {
    const alice = await joined('alice');
    const samePort = port;
    await server.stop();
    await alice.waitFor(/retry in|connection lost/);
    await serve({ port: samePort });
    await alice.waitFor((screen) => screen.split('connected to').length === 3);
    await alice.waitFor('alice (you)');
    const bob = await joined('bob');
    bob.type('welcome back\r');
    expect(await cleanFrame(alice, 'bob: welcome back')).toContain('you are alice');
  });

  // Emoji widths are left to unit tests: the headless xterm uses Unicode 6 widths, where most emoji are narrow.
  it('lines up CJK: wrapped by display width, the sidebar border stays in one column', async () => {
    const [alice, bob] = await Promise.all([joined('张三'), joined('bob')]);
    const text = '你好，世界！こんにちは ' + '汉字很宽'.repeat(12) + ' end';
    alice.type(`${text}\r`);
    await cleanFrame(bob, ' end');
    await cleanFrame(bob, '张三:');
    const columns = bob.columnsOf('│').filter((column) => column !== -1);
    expect(columns.length).toBeGreaterThan(15);
    expect(new Set(columns)).toEqual(new Set([58]));
    // The wrapped message is all there, nothing cut at the border.
    const pane = bob
      .screen()
      .split('\n')
      .map((row) => row.split('│')[0]!.trim())
      .join('');
    expect(pane.replaceAll(' ', '')).toContain(text.replaceAll(' ', ''));
  });

  it('folds the sidebar away below 60 columns and follows resizes at once', async () => {
    const alice = await joined('alice');
    alice.type('a fairly long line that will have to wrap when the terminal gets narrow\r');
    await alice.waitFor('alice: a fairly long');
    alice.resize(50, 20);
    // Wait for the whole narrow frame, not just the sidebar's absence: the redraw may still be under way.
    await alice.waitFor((screen) => !screen.includes('Online') && !screen.includes('│') && screen.includes('[F2'));
    // Narrow, the header keeps who you are and drops the program's name first.
    const narrow = await cleanFrame(alice, 'alice: a fairly long', 'you are alice');
    expect(narrow.split('\n').every((row) => row.length <= 50)).toBe(true);
    // Narrow, the user list takes the messages' place while choosing.
    alice.type('\t');
    await alice.waitFor('Online (1)');
    alice.type('\x1b');
    await alice.waitFor((screen) => !screen.includes('Online') && screen.includes('alice: a fairly long'));
    alice.resize(80, 24);
    await cleanFrame(alice, 'Online (1)');
  });

  it('restores the screen on Ctrl+C and on SIGTERM', async () => {
    const alice = await joined('alice');
    alice.type('\x03');
    expect(await alice.waitForExit()).toBe(0);
    expect(alice.output()).toContain('\x1b[?1049h');
    expect(alice.output().lastIndexOf('\x1b[?1049l')).toBeGreaterThan(alice.output().lastIndexOf('\x1b[?1049h'));
    const bob = await joined('bob');
    bob.signal('SIGTERM');
    await bob.waitForExit();
    expect(bob.output().lastIndexOf('\x1b[?1049l')).toBeGreaterThan(bob.output().lastIndexOf('\x1b[?1049h'));
    expect(bob.output()).toContain('\x1b[?25h');
  });

  it('serves and joins in one command with --serve, and others can join it', async () => {
    const servedPort = port;
    await server.stop();
    // Its SSH door has tests of its own (serve-ssh.e2e.test.ts): here it would take port 2222 and a host key in
    // the user's home.
    const host = launch(['--serve', '--no-ssh', '--port', String(servedPort), '--name', 'host', '--lang', 'en']);
    await host.waitFor('host (you)');
    const guest = await joined('guest');
    guest.type('hi host\r');
    await host.waitFor('guest: hi host');
    host.type('/quit\r');
    expect(await host.waitForExit()).toBe(0);
    await guest.waitFor(/retry in|connection lost/);
  });

  it('refuses a stdin that is not a terminal with one line, before loading the screen', () => {
    const bin = fileURLToPath(new URL('../../bin/chat-tui.js', import.meta.url));
    const result = spawnSync(process.execPath, [bin, '--port', String(port)], { input: '', encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('needs an interactive terminal');
    expect(result.stdout).toBe('');
  });

  it('gives one clear line, and no stack trace, when nothing listens on the port', async () => {
    const closedPort = port;
    await server.stop();
    const lonely = launch(['--port', String(closedPort)]);
    expect(await lonely.waitForExit()).not.toBe(0);
    const screen = await lonely.waitFor('connection refused');
    expect(screen).toContain('chat-server');
    expect(lonely.output()).not.toMatch(/\n\s+at /);
    const lost = launch(['--ip', 'no-such-host.invalid']);
    expect(await lost.waitForExit()).not.toBe(0);
    await lost.waitFor('unknown host');
  });
});
