// The one door from the client into the server: `chat-tui --serve` starts a server in its own process.
import { pino, type Logger } from 'pino';
import { ChatServer } from './chat-server.js';
import { describeListenError } from './listen-error.js';
import { DEFAULT_SSH_LIMITS, defaultHostKeyPath } from '../ssh/options.js';
import type { OpenSshDoor, SshDoorSettings } from '../ssh/start.js';

/** How opening the SSH door went: the port it listens on, or why it stays shut. */
export type SshDoorOutcome =
  /** `listedKeys`: how many keys the authorized keys file lists, the only ones let in; none: anyone. */
  | { readonly open: true; readonly port: number; readonly listedKeys?: number }
  /** `code`: the listener's error code (EADDRINUSE, EACCES…); none for a host key that cannot be used. */
  | { readonly open: false; readonly code?: string; readonly reason: string };

/** Where the SSH door listens and the language of its screens; the rest is as chat-server's defaults unless given. */
export interface EmbeddedSshSettings {
  port: number;
  lang: SshDoorSettings['lang'];
  /** Default: chat-server's host key, under the user's state directory. */
  hostKeyPath?: string;
  /** Default: none, anyone comes in. */
  authorizedKeysPath?: string;
  maxSessions?: number;
  maxSessionsPerIp?: number;
}

export interface EmbeddedServer {
  port: number;
  /**
   * Opens an SSH door into the chat on the server's address. It never rejects: the client goes on without
   * the door and says why.
   */
  openSsh(settings: EmbeddedSshSettings): Promise<SshDoorOutcome>;
  /** Stops the server and its SSH door, one still opening included. */
  stop(): Promise<void>;
}

/** A listener could not open; the message is one line for the user. */
export class EmbeddedServerError extends Error {}

/** A chat server with default limits that logs nothing (it shares the terminal with the screen). */
export async function startEmbeddedServer(host: string, port: number): Promise<EmbeddedServer> {
  const logger = pino({ level: 'silent' });
  const server = new ChatServer({ host, port, logger });
  try {
    const address = await server.start();
    return new Embedded(server, host, address.port, logger);
  } catch (error) {
    throw new EmbeddedServerError(describeListenError(error as NodeJS.ErrnoException, host, port));
  }
}

class Embedded implements EmbeddedServer {
  private door: OpenSshDoor | undefined;
  private stopped = false;

  constructor(
    private readonly server: ChatServer,
    private readonly host: string,
    readonly port: number,
    private readonly logger: Logger,
  ) {}

  async openSsh(settings: EmbeddedSshSettings): Promise<SshDoorOutcome> {
    const { host } = this;
    const { port } = settings;
    try {
      // Only when asked for: the door's code (ssh2, and the screen it draws for SSH users) is not small.
      const { openSshDoor } = await import('../ssh/start.js');
      const door = await openSshDoor(this.server, {
        host,
        port,
        hostKeyPath: settings.hostKeyPath ?? defaultHostKeyPath(),
        authorizedKeysPath: settings.authorizedKeysPath,
        maxSessions: settings.maxSessions ?? DEFAULT_SSH_LIMITS.maxSessions,
        maxSessionsPerIp: settings.maxSessionsPerIp ?? DEFAULT_SSH_LIMITS.maxSessionsPerIp,
        lang: settings.lang,
        logger: this.logger,
      });
      // The user quit while the door was opening: it closes again.
      if (this.stopped) void door.stop();
      else this.door = door;
      return { open: true, port: door.port, listedKeys: door.listedKeys };
    } catch (error) {
      const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
      if (cause?.code !== undefined) {
        return { open: false, code: cause.code, reason: describeListenError(cause, host, port) };
      }
      return { open: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.server.stop(), this.door?.stop()]);
  }
}
