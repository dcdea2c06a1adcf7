// SSH screens at scale: many chat-tui screens drawn in one server process, a few of them chatting.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { monotonicMicros, WINDOW_FILE } from '../broadcast.js';
import { CpuMeter, residentBytes } from '../process-stats.js';
import { round, type Scenario } from '../scenario.js';
import { LatencyRecorder } from '../stats.js';
import { REPO_ROOT } from '../targets.js';

const LOOPBACK = '127.0.0.1';
/** Lines sent, at the same rate, before the measured ones. */
const WARM_UP_SECONDS = 2;
/** A marker no chat-tui frame holds otherwise: `k⟨sender⟩n⟨sequence⟩q`, one token, never wrapped. */
const MARKER = /k(\d+)n(\d+)q/g;

interface Screen {
  index: number;
  client: ssh2.Client;
  channel: ssh2.ClientChannel;
  closed: boolean;
  /** Per sender, the last of its lines this screen has drawn: later frames draw the same lines again. */
  caughtUp: number[];
}

/**
 * chat-server with its SSH door on a free port, once the door listens; its log is read and dropped. With
 * `cpuProfileDir`, it writes a CPU profile there when it exits (see stopServer).
 */
async function startServer(dir: string, cpuProfileDir?: string): Promise<{ child: ChildProcess; sshPort: number }> {
  const args = [
    ...(cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : []),
    // As docs/OPERATIONS.md advises for a server with many SSH screens.
    '--max-semi-space-size=32',
    join(REPO_ROOT, 'bin/chat-server.js'),
    ...['--ip', LOOPBACK, '--port', '0', '--ssh-port', '0', '--ssh-host-key', join(dir, 'host_key')],
    ...['--rate', '0', '--max-clients-per-ip', '0', '--join-rate', '0', '--ssh-max-sessions-per-ip', '0'],
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    if (text.length < 100_000) text += chunk.toString();
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const line = text.split('\n').find((entry) => entry.includes('"event":"ssh-listening"'));
    if (line) return { child, sshPort: (JSON.parse(line) as { port: number }).port };
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`chat-server did not open its SSH door: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function openScreen(
  port: number,
  index: number,
  onMarker: (screen: Screen, sender: number, sequence: number) => void,
): Promise<Screen> {
  const client = new ssh2.Client();
  client.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
    client.on('keyboard-interactive', (_n, _i, _l, prompts, finish) => finish(prompts.map(() => '')));
    client.connect({ host: LOOPBACK, port, username: `user${index}`, tryKeyboard: true, readyTimeout: 60_000 });
  });
  return new Promise((resolve, reject) => {
    client.shell({ term: 'xterm-256color', cols: 100, rows: 30, width: 0, height: 0 }, (error, channel) => {
      if (error) return reject(error);
      const screen: Screen = { index, client, channel, closed: false, caughtUp: [] };
      let tail = '';
      channel.on('data', (chunk: Buffer) => {
        const text = tail + chunk.toString('latin1');
        for (const match of text.matchAll(MARKER)) onMarker(screen, Number(match[1]), Number(match[2]));
        tail = text.slice(-24);
      });
      channel.on('close', () => (screen.closed = true));
      resolve(screen);
    });
  });
}

/** An SSH user without a pty, for sending: the line protocol, as a script would chat. */
async function openLineSession(port: number, index: number): Promise<ssh2.ClientChannel> {
  const client = new ssh2.Client();
  client.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
    client.on('keyboard-interactive', (_n, _i, _l, prompts, finish) => finish(prompts.map(() => '')));
    client.connect({ host: LOOPBACK, port, username: `sender${index}`, tryKeyboard: true, readyTimeout: 60_000 });
  });
  return new Promise((resolve, reject) =>
    client.shell(false, (error, channel) => {
      if (error) return reject(error);
      channel.resume();
      resolve(channel);
    }),
  );
}

/** Someone chatting: says `text` so that it is sent (Enter pressed, for a screen) at `due` (performance.now() ms). */
interface Typist {
  say(text: string, due: number): Promise<void>;
}

/** How long a screen's typist takes between two keys: a fast typist's pace. */
const KEY_MS = 120;

const until = (at: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));

/** A line-mode session: the whole line at once, as a script would send it. */
function lineTypist(channel: ssh2.ClientChannel): Typist {
  return {
    async say(text, due) {
      await until(due);
      channel.write(`${text}\n`);
    },
  };
}

/** A screen's user typing: one key at a time, KEY_MS apart, and Enter at `due`. */
function screenTypist(channel: ssh2.ClientChannel): Typist {
  return {
    async say(text, due) {
      const keys = [...text];
      for (const [at, key] of keys.entries()) {
        await until(due - (keys.length - at) * KEY_MS);
        channel.write(key);
      }
      await until(due);
      channel.write('\r');
    },
  };
}

/** Stops the server; one that profiles gets SIGTERM and time to write its profile, then SIGKILL. */
async function stopServer(child: ChildProcess, profiling: boolean): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(profiling ? 'SIGTERM' : 'SIGKILL');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * A screen draws the room's lines in batches, and a line can scroll past between two frames: it counts
 * as shown on a screen once that screen has drawn it or a later line of the same sender.
 *
 * `sessions` SSH users with a pty, and `senders` typists sending public lines, `linesPerSecond` in all,
 * for `seconds` after WARM_UP_SECONDS of the same unmeasured: how long a line takes to show on every
 * screen, the server's memory per idle screen, and its CPU while it draws. The typists are line-mode
 * sessions of their own, sending whole lines as scripts do; with `typing: 'screens'`, they are the first
 * `senders` of the screens, typing key by key, KEY_MS apart, as people chat (a line then counts on the
 * other screens).
 */
export function sshScreens(
  sessions = 200,
  senders = 10,
  linesPerSecond = 200,
  seconds = 10,
  options: { cpuProfileDir?: string; name?: string; typing?: 'screens' | 'line-mode' } = {},
): Scenario {
  const onScreens = options.typing === 'screens';
  const who = onScreens ? `${senders} of them typing` : `${senders} line-mode senders`;
  return {
    name: options.name ?? 'ssh',
    title: `ssh, ${sessions} screens with a pty, ${who}, ${linesPerSecond} lines/s for ${seconds} s`,
    needsOwnServer: true,
    serverIndependent: true,
    async run(target) {
      const dir = mkdtempSync(join(tmpdir(), 'chat-bench-ssh-'));
      const { child, sshPort } = await startServer(dir, options.cpuProfileDir);
      const pid = child.pid!;
      const notes: string[] = [];
      const sentAt: number[][] = Array.from({ length: senders }, () => []);
      const latencies = new LatencyRecorder(sessions * linesPerSecond * seconds);
      let shown = 0;
      const onMarker = (screen: Screen, sender: number, sequence: number) => {
        const sent = sentAt[sender];
        if (sent === undefined || sequence >= sent.length) return;
        // A typist's own screen shows the line in its input as it is typed: only the other screens count.
        if (onScreens && screen.index === sender) return;
        const now = performance.now();
        for (let line = (screen.caughtUp[sender] ?? -1) + 1; line <= sequence; line++) {
          latencies.record(now - sent[line]!);
          shown += 1;
        }
        screen.caughtUp[sender] = Math.max(screen.caughtUp[sender] ?? -1, sequence);
      };
      const screens: Screen[] = [];
      try {
        const rssBefore = residentBytes(pid) ?? 0;
        // Ten at a time: the handshakes are what costs here, not the screens.
        for (let i = 0; i < sessions; i += 10) {
          const batch = Array.from({ length: Math.min(10, sessions - i) }, (_, j) =>
            openScreen(sshPort, i + j, onMarker),
          );
          screens.push(...(await Promise.all(batch)));
        }
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const rssIdle = residentBytes(pid) ?? 0;

        const typists: Typist[] = onScreens
          ? screens.slice(0, senders).map((screen) => screenTypist(screen.channel))
          : (await Promise.all(Array.from({ length: senders }, (_, i) => openLineSession(sshPort, i)))).map(lineTypist);
        /** `count` lines at `linesPerSecond`, taking turns among the typists; `sent(n)` once the nth has gone. */
        const chat = async (count: number, text: (n: number) => string, sent?: (n: number) => void) => {
          // Time to type the first line.
          const start = performance.now() + (onScreens ? 10 * KEY_MS : 0);
          await Promise.all(
            typists.map(async (typist, first) => {
              for (let n = first; n < count; n += senders) {
                await typist.say(text(n), start + (n * 1000) / linesPerSecond);
                sent?.(n);
              }
            }),
          );
        };
        // The server's first chat lines are drawn by code not yet compiled: a long-running server is past that.
        await chat(linesPerSecond * WARM_UP_SECONDS, (n) => `w${n}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const cpu = new CpuMeter(pid);
        const generatorCpu = new CpuMeter();
        const fromUs = monotonicMicros();
        const total = linesPerSecond * seconds;
        await chat(
          total,
          (n) => `k${n % senders}n${Math.floor(n / senders)}q`,
          (n) => sentAt[n % senders]!.push(performance.now()),
        );
        const expected = total * (onScreens ? sessions - 1 : sessions);
        const deadline = performance.now() + 15_000;
        while (shown < expected && performance.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 50));
        const cpuPct = cpu.percentOfCore();
        if (options.cpuProfileDir !== undefined) {
          mkdirSync(options.cpuProfileDir, { recursive: true });
          writeFileSync(join(options.cpuProfileDir, WINDOW_FILE), JSON.stringify({ fromUs, toUs: monotonicMicros() }));
        }
        const generatorPct = generatorCpu.percentOfCore();
        const dropped = screens.filter((screen) => screen.closed).length;
        if (shown < expected) notes.push(`${expected - shown} of ${expected} line-screens never shown`);
        const summary = latencies.summary();
        return {
          scenario: this.name,
          target: target.name,
          metrics: [
            {
              key: 'p50Ms',
              label: 'line to all screens p50',
              unit: 'ms',
              value: round(summary.p50, 1),
              better: 'lower',
            },
            {
              key: 'p99Ms',
              label: 'line to all screens p99',
              unit: 'ms',
              value: round(summary.p99, 1),
              better: 'lower',
            },
            { key: 'maxMs', label: 'latency max', unit: 'ms', value: round(summary.max, 1), better: 'lower' },
            {
              key: 'shownPct',
              label: 'shown',
              unit: '%',
              value: round((100 * shown) / expected, 2),
              better: 'higher',
            },
            {
              key: 'rssPerIdleMiB',
              label: 'RSS per idle screen',
              unit: 'MiB',
              value: round((rssIdle - rssBefore) / sessions / 1024 / 1024, 2),
              better: 'lower',
            },
            { key: 'serverCpuPct', label: 'server CPU', unit: '% core', value: round(cpuPct, 0), better: 'lower' },
            { key: 'dropped', label: 'sessions dropped', unit: '', value: dropped, better: 'lower' },
            { key: 'generatorCpuPct', label: 'generator CPU', unit: '% core', value: round(generatorPct, 0) },
          ],
          notes,
        };
      } finally {
        for (const screen of screens) screen.client.destroy();
        await stopServer(child, options.cpuProfileDir !== undefined);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
