// The SSH door's settings and their defaults, apart from the door itself so that reading flags loads no SSH code.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { checkWholeNumber } from '../cli/checks.js';

export interface SshLimits {
  /** SSH connections served at once, chatting or still authenticating. */
  maxSessions: number;
  /** SSH connections one address (IPv6: one /64) may hold at once; 0 means no limit. */
  maxSessionsPerIp: number;
  /** Time from connect to chat: a client that has not authenticated and opened its session by then is cut. */
  handshakeTimeoutMs: number;
  /** A client that answers none of `keepaliveCountMax` keepalives sent this far apart is cut. */
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export const DEFAULT_SSH_LIMITS: SshLimits = {
  maxSessions: 1000,
  maxSessionsPerIp: 10,
  handshakeTimeoutMs: 20_000,
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 3,
};

/** Where the host key lives unless told otherwise: the user's state directory, as the XDG spec places it. */
export function defaultHostKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME?.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'chat-server', 'ssh_host_ed25519_key');
}

/** The door's flags that take a file path. */
const PATH_FLAGS = ['ssh-host-key', 'ssh-authorized-keys'] as const;

/**
 * The SSH door's flags, for yargs: chat-server's, and those of them `chat-tui --serve` takes too. `describe`
 * words each description for its command (chat-server adds the environment variable that also sets it).
 */
export function sshFlags(describe: (flag: string, text: string) => string) {
  return {
    'ssh-port': {
      type: 'number',
      requiresArg: true,
      describe: describe('ssh-port', 'open the SSH door on this port (same --ip); off unless given'),
    },
    'ssh-host-key': {
      type: 'string',
      requiresArg: true,
      default: defaultHostKeyPath(),
      describe: describe('ssh-host-key', 'SSH host key file; an ed25519 key is generated there on first start'),
    },
    'ssh-authorized-keys': {
      type: 'string',
      requiresArg: true,
      describe: describe('ssh-authorized-keys', 'admit only the keys in this authorized_keys file'),
    },
    'ssh-lang': {
      choices: ['en', 'zh'] as const,
      requiresArg: true,
      default: 'en' as const,
      describe: describe('ssh-lang', 'language of SSH screens whose client sends no LANG or LC_ALL'),
    },
    'ssh-max-sessions': {
      type: 'number',
      requiresArg: true,
      default: DEFAULT_SSH_LIMITS.maxSessions,
      describe: describe('ssh-max-sessions', 'SSH connections served at once'),
    },
    'ssh-max-sessions-per-ip': {
      type: 'number',
      requiresArg: true,
      default: DEFAULT_SSH_LIMITS.maxSessionsPerIp,
      describe: describe(
        'ssh-max-sessions-per-ip',
        'SSH connections one address (IPv6: one /64) may hold at once; 0 = unlimited',
      ),
    },
  } as const;
}

/** The values of the door's flags as yargs read them; a flag not given is undefined. */
export interface SshFlagValues {
  'ssh-host-key'?: string;
  'ssh-authorized-keys'?: string;
  'ssh-max-sessions'?: number;
  'ssh-max-sessions-per-ip'?: number;
}

/** Throws the one-line error for the first door flag whose value the door cannot take. */
export function checkSshFlags(values: SshFlagValues): void {
  for (const flag of PATH_FLAGS) {
    if (values[flag] === '') throw new Error(`--${flag} must name a file`);
  }
  const sessions = values['ssh-max-sessions'];
  if (sessions !== undefined) checkWholeNumber('ssh-max-sessions', sessions, 1);
  const perIp = values['ssh-max-sessions-per-ip'];
  if (perIp !== undefined) checkWholeNumber('ssh-max-sessions-per-ip', perIp, 0);
}
