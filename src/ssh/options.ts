// The SSH door's settings and their defaults, apart from the door itself so that reading flags loads no SSH code.
import { homedir } from 'node:os';
import { join } from 'node:path';

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

/** chat-server's SSH flags, for yargs; each also reads its CHAT_SERVER_SSH_* environment variable. */
export function sshFlags(env: (flag: string) => string) {
  return {
    'ssh-port': {
      type: 'number',
      describe: `open the SSH door on this port (same --ip); off unless given ${env('ssh-port')}`,
    },
    'ssh-host-key': {
      type: 'string',
      default: defaultHostKeyPath(),
      describe: `SSH host key file; an ed25519 key is generated there on first start ${env('ssh-host-key')}`,
    },
    'ssh-authorized-keys': {
      type: 'string',
      describe: `admit only the keys in this authorized_keys file ${env('ssh-authorized-keys')}`,
    },
    'ssh-lang': {
      choices: ['en', 'zh'] as const,
      default: 'en' as const,
      describe: `language of SSH screens whose client sends no LANG or LC_ALL ${env('ssh-lang')}`,
    },
    'ssh-max-sessions': {
      type: 'number',
      default: DEFAULT_SSH_LIMITS.maxSessions,
      describe: `SSH connections served at once ${env('ssh-max-sessions')}`,
    },
    'ssh-max-sessions-per-ip': {
      type: 'number',
      default: DEFAULT_SSH_LIMITS.maxSessionsPerIp,
      describe: `SSH connections one address (IPv6: one /64) may hold at once; 0 = unlimited ${env('ssh-max-sessions-per-ip')}`,
    },
  } as const;
}
