import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/chat-tui.js', import.meta.url));
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

function run(...args: string[]) {
  return runWith({}, ...args);
}

function runWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: '',
    timeout: 10_000,
    env: { ...process.env, ...env },
  });
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
      '--ssh-host-key',
      '--ssh-authorized-keys',
      '--ssh-max-sessions',
      '--ssh-max-sessions-per-ip',
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

  it("shows the SSH door's defaults in --help: chat-server's host key and limits", () => {
    const help = runWith({ XDG_STATE_HOME: '/state/of/test' }, '--help').stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--ssh-host-key with --serve: SSH host key file;');
    expect(help).toContain('[default: "/state/of/test/chat-server/ssh_host_ed25519_key"]');
    expect(help).toContain(
      '--ssh-authorized-keys with --serve: admit only the keys in this authorized_keys file [string]',
    );
    expect(help).toMatch(/--ssh-max-sessions with --serve: [^[]+ \[number\] \[default: 1000\]/);
    expect(help).toMatch(/--ssh-max-sessions-per-ip with --serve: [^[]+ \[number\] \[default: 10\]/);
  });

  it('rejects bad arguments in words, with no stack trace', () => {
    for (const args of [['--bogus'], ['--port', '70000'], ['--lang', 'fr'], ['--name', 'has space']]) {
      const result = run(...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^chat-tui: .+\nRun `chat-tui --help` for the options\.\n$/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("takes the door's flags and --no-ssh only with --serve, and a port only as a port", () => {
    const cases: Array<[string[], string]> = [
      [['--ssh-port', '2222'], '--ssh-port goes with --serve: only the bundled server has an SSH door'],
      [['--no-ssh'], '--no-ssh goes with --serve: only the bundled server has an SSH door'],
      [['--serve', '--ssh-port', '22x'], '--ssh-port must be a whole number from 0 to 65535 (got "22x")'],
      [['--serve', '--ssh-port', '65536'], '--ssh-port must be a whole number from 0 to 65535 (got 65536)'],
      [['--serve', '--ssh-port', '2222', '--no-ssh'], '--ssh-port and --no-ssh contradict each other'],
    ];
    for (const [flag, value] of [
      ['--ssh-host-key', '/etc/key'],
      ['--ssh-authorized-keys', '/etc/keys'],
      ['--ssh-max-sessions', '5'],
      ['--ssh-max-sessions-per-ip', '2'],
    ] as const) {
      cases.push(
        [[flag, value], `${flag} goes with --serve: only the bundled server has an SSH door`],
        [['--serve', '--no-ssh', flag, value], `${flag} and --no-ssh contradict each other`],
      );
    }
    for (const [args, message] of cases) {
      const result = run(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toBe(`chat-tui: ${message}\nRun \`chat-tui --help\` for the options.\n`);
    }
  });

  it("checks the door's other flags with --serve as chat-server does", () => {
    const cases: Array<[string[], string]> = [
      [['--serve', '--ssh-host-key='], '--ssh-host-key must name a file'],
      [['--serve', '--ssh-authorized-keys', ''], '--ssh-authorized-keys must name a file'],
      [['--serve', '--ssh-host-key'], 'Not enough arguments following: ssh-host-key'],
      [['--serve', '--ssh-authorized-keys', '--name', 'x'], 'Not enough arguments following: ssh-authorized-keys'],
      [
        ['--serve', '--ssh-max-sessions', '0'],
        '--ssh-max-sessions must be a whole number from 1 to 9007199254740991 (got 0)',
      ],
      [
        ['--serve', '--ssh-max-sessions', 'lots'],
        '--ssh-max-sessions must be a whole number from 1 to 9007199254740991 (not a number)',
      ],
      [
        ['--serve', '--ssh-max-sessions-per-ip', '1.5'],
        '--ssh-max-sessions-per-ip must be a whole number from 0 to 9007199254740991 (got 1.5)',
      ],
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
