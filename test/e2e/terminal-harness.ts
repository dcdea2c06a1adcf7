import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import { until } from '../support/until.js';

const BIN = fileURLToPath(new URL('../../bin/chat-tui.js', import.meta.url));
const WAIT_MS = 10_000;

export interface Terminal {
  /** The screen as text, one line per row, trailing spaces trimmed. */
  screen(): string;
  /** The display column (0-based) of the first `char` on each row, -1 where it is absent: wide characters count two. */
  columnsOf(char: string): number[];
  type(keys: string): void;
  signal(name: 'SIGTERM' | 'SIGHUP'): void;
  resize(columns: number, rows: number): void;
  waitFor(expected: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  waitForExit(timeoutMs?: number): Promise<number>;
  /** Everything the program wrote, escape sequences included. */
  output(): string;
  kill(): void;
  readonly exited: boolean;
  readonly pid: number;
}

/** Runs `chat-tui` with `args` in a real pseudo-terminal and keeps a headless xterm of its screen. */
export function spawnChatTui(
  args: string[],
  options: { columns?: number; rows?: number; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): Terminal {
  const columns = options.columns ?? 80;
  const rows = options.rows ?? 24;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    TERM: 'xterm-256color',
    LANG: options.env?.LANG ?? 'en_US.UTF-8',
  };
  // Ink draws only the last frame when CI is set.
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  const term = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true, scrollback: 0 });
  const child = pty.spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    name: 'xterm-256color',
    cols: columns,
    rows,
    env: env as Record<string, string>,
  });
  let raw = '';
  let exitCode: number | undefined;
  const exitWaiters: Array<(code: number) => void> = [];
  child.onData((data) => {
    raw += data;
    term.write(data);
  });
  child.onExit(({ exitCode: code }) => {
    exitCode = code;
    for (const waiter of exitWaiters) waiter(code);
  });

  const screen = () => {
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < term.rows; row++)
      lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  // xterm parses writes asynchronously: flush before reading so the screen is what was received.
  const settled = () => new Promise<void>((resolve) => term.write('', resolve));

  const columnsOf = (char: string) => {
    const buffer = term.buffer.active;
    const found: number[] = [];
    for (let row = 0; row < term.rows; row++) {
      const line = buffer.getLine(buffer.viewportY + row);
      let column = -1;
      for (let x = 0; line && x < term.cols; x++) {
        if (line.getCell(x)?.getChars() === char) {
          column = x;
          break;
        }
      }
      found.push(column);
    }
    return found;
  };

  return {
    screen,
    columnsOf,
    type: (keys) => child.write(keys),
    signal: (name) => child.kill(name),
    resize: (newColumns, newRows) => {
      child.resize(newColumns, newRows);
      term.resize(newColumns, newRows);
    },
    async waitFor(expected, timeoutMs = WAIT_MS) {
      const matches =
        typeof expected === 'function'
          ? expected
          : typeof expected === 'string'
            ? (text: string) => text.includes(expected)
            : (text: string) => expected.test(text);
      let text = '';
      await until(
        async () => {
          await settled();
          text = screen();
          return matches(text);
        },
        { timeoutMs, what: String(expected), seen: () => text },
      );
      return text;
    },
    waitForExit(timeoutMs = WAIT_MS) {
      if (exitCode !== undefined) return Promise.resolve(exitCode);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`chat-tui did not exit within ${timeoutMs} ms`)), timeoutMs);
        exitWaiters.push((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    output: () => raw,
    kill() {
      if (exitCode === undefined) {
        try {
          child.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
      term.dispose();
    },
    pid: child.pid,
    get exited() {
      return exitCode !== undefined;
    },
  };
}
