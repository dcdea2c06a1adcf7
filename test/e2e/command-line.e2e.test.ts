import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/chat-tui.js', import.meta.url));
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

function run(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input: '', timeout: 10_000 });
}

describe('the chat-tui command line', () => {
  it('answers --help and --version without a terminal', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    for (const option of [
      '--ip',
      '--port',
      '--name',
      '--serve',
      '--ssh-port',
      '--ssh',
      '--lang',
      '--help',
      '--version',
    ]) {
      expect(help.stdout).toContain(option);
    }
    const version = run('--version');
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(VERSION);
  });

  it('rejects bad arguments in words, with no stack trace', () => {
    for (const args of [['--bogus'], ['--port', '70000'], ['--lang', 'fr'], ['--name', 'has space']]) {
      const result = run(...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^chat-tui: .+\nRun `chat-tui --help` for the options\.\n$/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('takes --ssh-port and --no-ssh only with --serve, and a port only as a port', () => {
    const cases: Array<[string[], string]> = [
      [['--ssh-port', '2222'], '--ssh-port goes with --serve: only the bundled server has an SSH door'],
      [['--no-ssh'], '--no-ssh goes with --serve: only the bundled server has an SSH door'],
      [['--serve', '--ssh-port', '22x'], '--ssh-port must be a whole number from 0 to 65535 (got "22x")'],
      [['--serve', '--ssh-port', '65536'], '--ssh-port must be a whole number from 0 to 65535 (got 65536)'],
      [['--serve', '--ssh-port', '2222', '--no-ssh'], '--ssh-port and --no-ssh contradict each other'],
    ];
    for (const [args, message] of cases) {
      const result = run(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toBe(`chat-tui: ${message}\nRun \`chat-tui --help\` for the options.\n`);
    }
  });

  it('says in one line when the log file cannot be opened, before anything else', () => {
    const result = run('--log', '/no/such/dir/chat.log');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('chat-tui: cannot open the log file /no/such/dir/chat.log: no such directory\n');
  });

  it('quotes a bad port back as it was given', () => {
    for (const port of ['abc', '-1', '8o8']) {
      const result = run('--port', port);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`--port must be a whole number from 0 to 65535 (got "${port}")`);
    }
    expect(run('--port', '70000').stderr).toContain('--port must be a whole number from 0 to 65535 (got 70000)');
  });
});
