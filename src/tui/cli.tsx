// The chat-tui command. Only yargs and node: load here, so --help, --version and argument errors answer
// at once; the server, Ink and React load after the arguments are known good.
import { openSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isBundleCurrent } from '../cli/bundle.js';
import { checkPort, NAME_RULE } from '../cli/checks.js';
import { describeFileError } from '../cli/file-error.js';
import { errorLine } from '../cli/fail.js';
import { VERSION } from '../cli/version.js';
import { formatAddr, isValidName } from '../protocol/index.js';
import { checkSshFlags, sshFlags } from '../ssh/options.js';
import { ChatClient, ConnectError } from './client.js';
import { labelsFor, langFromEnv, type Lang } from './i18n.js';
import { defaultName } from './names.js';
import type { Note } from './notes.js';
import { sshDoorNote } from './ssh-door.js';
import type * as Run from './run.js';
import type { EmbeddedServer, EmbeddedSshSettings } from '../server/embedded.js';
import { coloursWanted, drawSplash, enterAlternateScreen, leaveAlternateScreen } from './terminal.js';

/** Where --serve opens its SSH door unless told otherwise. */
const DEFAULT_SSH_PORT = 2222;
/** chat-server's SSH flags that --serve takes as well, for a door into the chat on this terminal. */
const SERVE_SSH_FLAGS = ['ssh-host-key', 'ssh-authorized-keys', 'ssh-max-sessions', 'ssh-max-sessions-per-ip'] as const;
/** Every flag of --serve's door: each goes with --serve, and none with --no-ssh. */
const SSH_DOOR_FLAGS = ['ssh-port', ...SERVE_SSH_FLAGS] as const;

interface Args {
  ip: string;
  port: number;
  name?: string;
  serve: boolean;
  /** --serve's SSH door as the flags set it (chat-server's defaults for those not given), or none (--no-ssh). */
  sshDoor: EmbeddedSshSettings | undefined;
  lang: Lang;
  bell: boolean;
  log?: string;
}

function parseArgs(argv: string[]): Args {
  const args = yargs(argv)
    .scriptName('chat-tui')
    .usage('$0 [options]\n\nA full-screen terminal chat client. Try `chat-tui --serve` first.')
    .option('ip', { type: 'string', default: '127.0.0.1', describe: 'server address to join (or serve on)' })
    // Read as text, so that a bad value can be quoted back as it was given.
    .option('port', { type: 'string', default: '8888', describe: 'server port' })
    .option('name', {
      type: 'string',
      describe: 'your name, asked for right after connecting (default: your login name; "" keeps your address)',
    })
    .option('bell', {
      type: 'boolean',
      default: true,
      describe: 'ring on a private message or a mention (--no-bell: never; /bell toggles)',
    })
    .option('log', {
      type: 'string',
      describe: 'append what the screen shows to this file, as plain text with times',
    })
    .option('serve', { type: 'boolean', default: false, describe: 'start the bundled server here, then join it' })
    .option('ssh-port', {
      type: 'string',
      describe: `with --serve: the port of its SSH door, on the same --ip (default ${DEFAULT_SSH_PORT})`,
    })
    // No default, so that giving it without --serve can be told apart from not giving it.
    .option('ssh', { type: 'boolean', describe: 'with --serve: open its SSH door as well; on unless --no-ssh' })
    .options(serveSshFlags())
    .option('lang', { choices: ['en', 'zh'] as const, default: langFromEnv(process.env), describe: 'UI language' })
    .check((args) => {
      checkPortText('port', String(args.port));
      if (args['ssh-port'] !== undefined) checkPortText('ssh-port', String(args['ssh-port']));
      checkSshFlags(args);
      const doorFlag = SSH_DOOR_FLAGS.find((flag) => args[flag] !== undefined);
      if (!args.serve && (doorFlag !== undefined || args.ssh !== undefined)) {
        const flag = doorFlag !== undefined ? `--${doorFlag}` : args.ssh ? '--ssh' : '--no-ssh';
        throw new Error(`${flag} goes with --serve: only the bundled server has an SSH door`);
      }
      if (args.ssh === false && doorFlag !== undefined) {
        throw new Error(`--${doorFlag} and --no-ssh contradict each other`);
      }
      if (args.name !== undefined && args.name !== '' && !isValidName(args.name)) {
        throw new Error(`--name must be ${NAME_RULE} (not "${args.name}")`);
      }
      return true;
    })
    .strict()
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .alias('v', 'version')
    .wrap(Math.min(100, process.stdout.columns || 80))
    .fail((message, error) => {
      process.stderr.write(errorLine('chat-tui', message ?? error?.message ?? ''));
      process.stderr.write('Run `chat-tui --help` for the options.\n');
      process.exit(2);
    })
    .parseSync();
  const sshDoor: EmbeddedSshSettings | undefined =
    args.ssh === false
      ? undefined
      : {
          port: Number(args['ssh-port'] ?? DEFAULT_SSH_PORT),
          lang: args.lang,
          hostKeyPath: args['ssh-host-key'],
          authorizedKeysPath: args['ssh-authorized-keys'],
          maxSessions: args['ssh-max-sessions'],
          maxSessionsPerIp: args['ssh-max-sessions-per-ip'],
        };
  return { ...args, port: Number(args.port), sshDoor } as Args;
}

/**
 * chat-server's definitions of the door flags --serve takes too. Their defaults are the door's, shown in
 * the help but not set here, so that a flag given without --serve can be told apart from one not given.
 */
function serveSshFlags() {
  const flags = sshFlags((_flag, text) => `with --serve: ${text}`);
  return Object.fromEntries(SERVE_SSH_FLAGS.map((flag) => [flag, defaultInHelpOnly(flags[flag])])) as {
    [Flag in (typeof SERVE_SSH_FLAGS)[number]]: DefaultInHelpOnly<(typeof flags)[Flag]>;
  };
}

type DefaultInHelpOnly<Definition> = Omit<Definition, 'default'> & { defaultDescription?: string };

function defaultInHelpOnly<Definition extends object>(definition: Definition): DefaultInHelpOnly<Definition> {
  const { default: value, ...rest } = definition as Definition & { default?: unknown };
  if (value === undefined) return rest;
  // Worded as yargs words the defaults it sets itself.
  return { ...rest, defaultDescription: typeof value === 'string' ? JSON.stringify(value) : String(value) };
}

/** Digits only, then the shared range check; anything else is quoted back as it was typed. */
function checkPortText(flag: string, text: string): void {
  if (!/^\d+$/.test(text)) throw new Error(`--${flag} must be a whole number from 0 to 65535 (got "${text}")`);
  checkPort(Number(text), flag);
}

function fail(message: string): never {
  leaveAlternateScreen();
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stderr.write(errorLine('chat-tui', message));
  process.exit(1);
}

/** The transcript file, opened for appending before anything else happens; or a one-line error. */
function openLog(path: string): number {
  try {
    return openSync(path, 'a', 0o600);
  } catch (error) {
    // Opened to append, the file is made if it is missing: only its directory can be.
    fail(`cannot open the log file ${path}: ${describeFileError(error, { ENOENT: 'no such directory' })}`);
  }
}

async function serve(host: string, port: number): Promise<EmbeddedServer> {
  const { startEmbeddedServer, EmbeddedServerError } = await import('../server/embedded.js');
  try {
    return await startEmbeddedServer(host, port);
  } catch (error) {
    if (!(error instanceof EmbeddedServerError)) throw error;
    const hint = /in use/.test(error.message) ? '. If a chat server already runs there, join it without --serve.' : '';
    fail(`cannot serve: ${error.message}${hint}`);
  }
}

/**
 * The SSH door loads ssh2 and a second copy of the screen's modules (the one it draws for SSH users), which
 * takes a second or more on a slow machine: it opens once the client's first frame is up, which runApp
 * draws before its first await, and the pane says how it went.
 */
async function openSshDoorAfterFirstFrame(
  server: EmbeddedServer,
  host: string,
  door: EmbeddedSshSettings,
): Promise<Note> {
  await new Promise((resolve) => setImmediate(resolve));
  return sshDoorNote(host, door.port, await server.openSsh(door));
}

async function main(): Promise<void> {
  const args = parseArgs(hideBin(process.argv));
  const logFd = args.log === undefined ? undefined : openLog(args.log);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    fail(
      'needs an interactive terminal (stdin and stdout must be a TTY). To script a chat, talk to the server with nc.',
    );
  }
  // React and its reconciler load their development builds (several times slower) unless told otherwise;
  // a NODE_ENV left over from the user's shell or a test runner must not slow the chat down.
  process.env.NODE_ENV = 'production';
  // Ink and React load while the splash shows, the server starts and the socket connects.
  const ui = loadUi();
  ui.catch(() => {}); // awaited below; a failure there is reported then, not as an unhandled rejection now
  showSplash(args);
  const server = args.serve ? await serve(args.ip, args.port) : undefined;
  // No --name: the login name, or the next free name-2, name-3… when it is taken. --name '': the address.
  const name = args.name === undefined ? defaultName(process.env) : args.name || undefined;
  const client = new ChatClient({
    host: args.ip,
    port: server?.port ?? args.port,
    name,
    nextFreeName: args.name === undefined,
  });
  try {
    await client.connect();
  } catch (error) {
    await server?.stop();
    fail(error instanceof ConnectError ? error.message : String(error));
  }
  const { runApp } = await ui;
  const lateNote =
    server && args.sshDoor !== undefined ? openSshDoorAfterFirstFrame(server, args.ip, args.sshDoor) : undefined;
  await runApp({ client, lang: args.lang, name, bell: args.bell, logFd, lateNote });
  client.close();
  await server?.stop();
  process.exit(0);
}

type Ui = typeof Run;

/**
 * The screen's code. `npm run build:tui` bundles Ink, React and the app into one file, which loads several
 * times faster than hundreds of modules; a bundle older than the compiled modules is stale and ignored.
 */
async function loadUi(): Promise<Ui> {
  const bundle = new URL('./ui/run.js', import.meta.url);
  if (isBundleCurrent(bundle, new URL('./run.js', import.meta.url))) return (await import(bundle.href)) as Ui;
  return import('./run.js');
}

function showSplash(args: Args): void {
  const labels = labelsFor(args.lang);
  enterAlternateScreen(process.stdout);
  drawSplash(
    process.stdout,
    {
      title: ` chat-tui · ${formatAddr(args.ip, args.port)}`,
      status: labels.status.connecting,
      modes: ` [F2 ${labels.modes.public}] [F3 ${labels.modes.privateChoose}] [F4 ${labels.modes.rename}]`,
      hints: `${labels.hints.scroll} · ${labels.hints.help}`,
    },
    coloursWanted(process.env),
  );
}

function crash(error: unknown): void {
  fail(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}

process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
main().catch(crash);
