import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { sleep } from '../crowd.js';
import { LoadClient } from '../load-client.js';
import { CpuMeter, residentBytes } from '../process-stats.js';
import { LatencyRecorder } from '../stats.js';
import { round, withServer, type Metric, type Scenario, type ScenarioResult } from '../scenario.js';
import { REPO_ROOT, type RunningServer } from '../targets.js';

const CHAT_TUI = join(REPO_ROOT, 'bin/chat-tui.js');
const FLOOD_LINES_PER_SECOND = 2000;
/** `BENCH_FLOOD_SECONDS=50` floods 100,000 lines, to see memory level off. */
const FLOOD_SECONDS = Number(process.env.BENCH_FLOOD_SECONDS) || 5;
/** The second flood: several people at once, as a busy room is, rather than one script. */
const CROWD_SENDERS = 5;
const CROWD_LINES_PER_SECOND = 1000;
const FIRST_FRAME_LIMIT_MS = 10_000;
// CSI and OSC sequences and single-character escapes: what is left is text a person would see.
const ESCAPES = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-_])/g;

/** The terminal client: how soon it shows its screen, and what a flood of public chat costs it. */
export function chatTuiClient(): Scenario {
  return {
    name: 'client',
    title:
      `chat-tui first frame, then a ${FLOOD_LINES_PER_SECOND} lines/s flood for ${FLOOD_SECONDS} s, ` +
      `then ${CROWD_LINES_PER_SECOND} lines/s from ${CROWD_SENDERS} senders`,
    serverIndependent: true,
    async run(target) {
      const result = (metrics: Metric[], notes: string[] = []): ScenarioResult => ({
        scenario: this.name,
        target: target.name,
        metrics,
        notes,
      });
      if (!existsSync(CHAT_TUI) || !existsSync(join(REPO_ROOT, 'dist/tui/cli.js'))) {
        return result([], ['chat-tui not available: bin/chat-tui.js or dist/tui/cli.js is missing (npm run build)']);
      }
      return withServer(target, async (server) => {
        const tui = spawnTui(server);
        try {
          const firstFrameMs = await tui.firstFrame;
          if (firstFrameMs === undefined)
            return result([], [`chat-tui not available: no screen within ${FIRST_FRAME_LIMIT_MS} ms`]);
          await sleep(1000); // connected and idle
          const flood = await floodThrough(server, tui, { senders: 1, linesPerSecond: FLOOD_LINES_PER_SECOND });
          await sleep(1000);
          const crowd = await floodThrough(server, tui, {
            senders: CROWD_SENDERS,
            linesPerSecond: CROWD_LINES_PER_SECOND,
            tag: 'crowd',
          });
          return result(
            [
              { key: 'firstFrameMs', label: 'first frame', unit: 'ms', value: round(firstFrameMs, 0), better: 'lower' },
              {
                key: 'floodCpuPct',
                label: 'CPU during the flood',
                unit: '% core',
                value: round(flood.cpu, 0),
                better: 'lower',
              },
              {
                key: 'floodRssMiB',
                label: 'RSS peak during the flood',
                unit: 'MiB',
                value: round(flood.rssPeak && flood.rssPeak / 2 ** 20),
                better: 'lower',
              },
              {
                key: 'caughtUpMs',
                label: 'last line shown after the flood',
                unit: 'ms',
                value: round(flood.caughtUpMs, 0),
                better: 'lower',
              },
              {
                key: 'echoP50Ms',
                label: 'keystroke echo p50 in the flood',
                unit: 'ms',
                value: round(flood.echo.p50, 0),
                better: 'lower',
              },
              {
                key: 'echoMaxMs',
                label: 'keystroke echo max in the flood',
                unit: 'ms',
                value: round(flood.echo.max, 0),
                better: 'lower',
              },
              {
                key: 'crowdEchoP50Ms',
                label: `keystroke echo p50, ${CROWD_SENDERS} senders`,
                unit: 'ms',
                value: round(crowd.echo.p50, 0),
                better: 'lower',
              },
              {
                key: 'crowdEchoMaxMs',
                label: `keystroke echo max, ${CROWD_SENDERS} senders`,
                unit: 'ms',
                value: round(crowd.echo.max, 0),
                better: 'lower',
              },
              {
                key: 'crowdCaughtUpMs',
                label: `last line shown, ${CROWD_SENDERS} senders`,
                unit: 'ms',
                value: round(crowd.caughtUpMs, 0),
                better: 'lower',
              },
            ],
            [
              ...(flood.caughtUpMs === undefined ? ['the last flooded line never appeared on the screen'] : []),
              ...(flood.echoesMissed > 0 ? [`${flood.echoesMissed} typed words never appeared on the screen`] : []),
              ...(crowd.caughtUpMs === undefined ? [`the ${CROWD_SENDERS}-sender flood's last line never showed`] : []),
              ...(crowd.echoesMissed > 0
                ? [`${crowd.echoesMissed} words typed in the ${CROWD_SENDERS}-sender flood never showed`]
                : []),
            ],
          );
        } finally {
          tui.kill();
        }
      });
    },
  };
}

interface Tui {
  pid: number;
  /** Milliseconds from spawn to the first visible text, or undefined when none came in time. */
  firstFrame: Promise<number | undefined>;
  /** Resolves with performance.now() once `text` is on its way to the screen. */
  watchFor(text: string): Promise<number>;
  /** Types as a person would, into the input line. */
  type(keys: string): void;
  kill(): void;
}

function spawnTui(server: RunningServer): Tui {
  const env = { ...process.env, TERM: 'xterm-256color', LANG: 'en_US.UTF-8' } as Record<string, string>;
  delete env.CI; // Ink draws only the final frame when CI is set
  delete env.CONTINUOUS_INTEGRATION;
  const spawnedAt = performance.now();
  const child = pty.spawn(process.execPath, [CHAT_TUI, '--ip', server.host, '--port', String(server.port)], {
    name: 'xterm-256color',
    cols: 100,
    rows: 30,
    cwd: REPO_ROOT,
    env,
  });
  let tail = '';
  let watches: Array<{ text: string; resolve: (at: number) => void }> = [];
  let frameSeen: (at: number | undefined) => void = () => {};
  const firstFrame = new Promise<number | undefined>((resolve) => {
    frameSeen = resolve;
    setTimeout(() => resolve(undefined), FIRST_FRAME_LIMIT_MS).unref();
  });
  child.onData((data) => {
    const at = performance.now();
    if (/\S/.test(data.replace(ESCAPES, ''))) frameSeen(at - spawnedAt);
    if (watches.length === 0) return;
    tail += data;
    watches = watches.filter((watch) => !(tail.includes(watch.text) && (watch.resolve(at), true)));
    tail = tail.slice(-4096);
  });
  child.onExit(() => frameSeen(undefined));
  return {
    pid: child.pid,
    firstFrame,
    watchFor: (text) => new Promise((resolve) => watches.push({ text, resolve })),
    type: (keys) => child.write(keys),
    kill: () => child.kill('SIGKILL'),
  };
}

/**
 * `linesPerSecond` in all, from `senders` connections taking turns, for FLOOD_SECONDS, while a word is
 * typed every half second. One write every 10 ms keeps the rate even without a timer per line.
 */
async function floodThrough(
  server: RunningServer,
  tui: Tui,
  { senders, linesPerSecond, tag = 'flood' }: { senders: number; linesPerSecond: number; tag?: string },
) {
  const flooders = await Promise.all(
    Array.from({ length: senders }, () => LoadClient.connect(server.host, server.port)),
  );
  await Promise.all(flooders.map((flooder) => flooder.joined()));
  const linesPerTick = Math.max(1, Math.round(linesPerSecond / 100));
  const total = linesPerSecond * FLOOD_SECONDS;
  const lastLine = `${tag}-${total - 1}-end`;
  const caughtUp = tui.watchFor(lastLine);
  const cpu = new CpuMeter(tui.pid);
  let rssPeak = residentBytes(tui.pid);
  let sent = 0;
  // Every half second a word is typed and then cleared (Ctrl+U): how long until it shows in the input line.
  const echoLatency = new LatencyRecorder(100);
  let echoesShown = 0;
  const echoes: Array<Promise<unknown>> = [];
  const typing = setInterval(() => {
    const word = `${tag}typed${echoes.length}word`;
    const typedAt = performance.now();
    tui.type(word);
    echoes.push(
      tui.watchFor(word).then((shownAt) => {
        echoLatency.record(shownAt - typedAt);
        echoesShown += 1;
        tui.type('\x15');
      }),
    );
  }, 500);
  await new Promise<void>((done) => {
    const tick = setInterval(() => {
      rssPeak = Math.max(rssPeak ?? 0, residentBytes(tui.pid) ?? 0);
      // Each tick's lines go out from the senders in turn, so their lines interleave on the screen.
      const batches = flooders.map(() => '');
      for (let i = 0; i < linesPerTick && sent < total; i += 1, sent += 1) {
        batches[sent % senders] += `${tag}-${sent}-end\n`;
      }
      batches.forEach((batch, index) => batch && flooders[index]!.send(batch));
      if (sent >= total) {
        clearInterval(tick);
        done();
      }
    }, 10);
  });
  clearInterval(typing);
  const floodEndedAt = performance.now();
  const cpuPercent = cpu.percentOfCore();
  const shownAt = await Promise.race([caughtUp, sleep(5000).then(() => undefined)]);
  await Promise.race([Promise.all(echoes), sleep(2000)]);
  for (const flooder of flooders) flooder.destroy();
  return {
    cpu: cpuPercent,
    rssPeak,
    caughtUpMs: shownAt === undefined ? undefined : Math.max(0, shownAt - floodEndedAt),
    echo: echoLatency.summary(),
    echoesMissed: echoes.length - echoesShown,
  };
}
