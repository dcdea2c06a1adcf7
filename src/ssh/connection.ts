import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type ssh2 from 'ssh2';
import { formatAddr } from '../protocol/index.js';
import type { Session } from '../server/chat/session.js';
import { fingerprintOf, parsePublicKey, type AuthorizedKeys } from './keys.js';
import type { PtySize } from './terminal.js';

/**
 * The largest screen drawn for a client, whatever size its terminal claims: a frame costs the server by
 * its area, and a pty of 100,000 columns by 100,000 rows ran the server out of memory on its first frame.
 * No terminal anyone reads is larger; a larger one shows the screen in its top left.
 */
const MAX_COLUMNS = 400;
const MAX_ROWS = 200;
/** Environment variables a client may send: LANG and LC_* are what is read; the rest is ignored. */
const MAX_ENV_VARIABLES = 32;
/** How long a connection whose chat has ended gets to close on its own before its socket is cut. */
const CLOSE_GRACE_MS = 2000;

/** Who an SSH user proved to be: the name it asked for and, when it signed with a key, that key. */
export interface Identity {
  user: string;
  method: 'publickey' | 'keyboard-interactive' | 'none';
  fingerprint: string | undefined;
}

/** The terminal a client asked for before its shell: its pty, and the environment it sent. */
export interface TerminalRequest {
  pty: PtySize;
  env: Record<string, string>;
}

/** Where a user comes from and who it is. */
export interface Arrival {
  identity: Identity;
  addr: string;
  ip: string;
  /** Present when the client asked for a pty: the user gets the screen, not lines. */
  terminal: TerminalRequest | undefined;
}

/** A user in the room: its session, and how to tell its screen (if it has one) of a new size. */
export interface Entered {
  session: Session;
  resize?(columns: number, rows: number): void;
}

/** What one connection needs from the door it came in by. */
export interface DoorContext {
  authorizedKeys: AuthorizedKeys | undefined;
  log: Logger;
  /** Brings the user into the room on `channel`; undefined when the room turned it away (with a line). */
  enter(channel: ssh2.ServerChannel, arrival: Arrival): Entered | undefined;
}

/**
 * One SSH client from TCP accept to close: authenticates it, takes its one session channel and hands the
 * channel to the chat, with the pty and environment it asked for. Anything else (a second channel, a
 * subsystem, forwarding) is refused; a client that has not reached the chat by the deadline is cut off.
 *
 * A connection opened past a limit (`refusal`) is let through auth only to read why it is turned away.
 */
export class SshConnection {
  readonly addr: string;
  private identity: Identity | undefined;
  private channelTaken = false;
  private chatStarted = false;
  private deadline: NodeJS.Timeout | undefined;
  private client: ssh2.Connection | undefined;
  private pty: PtySize | undefined;
  private readonly env: Record<string, string> = {};
  private entered: Entered | undefined;

  constructor(
    readonly socket: Socket,
    readonly ip: string,
    port: number,
    private readonly door: DoorContext,
    deadlineMs: number,
    readonly refusal: string | undefined,
  ) {
    this.addr = formatAddr(ip, port);
    this.deadline = setTimeout(() => this.expire(), deadlineMs);
    socket.once('close', () => clearTimeout(this.deadline));
  }

  /** Whether the user is in (or was turned away by) the chat: its channel now closes the connection. */
  get chatting(): boolean {
    return this.chatStarted;
  }

  /** Takes over the client ssh2 made of this connection's socket once the client's banner arrived. */
  attach(client: ssh2.Connection): void {
    this.client = client;
    client.on('error', (error: Error & { level?: string }) => {
      this.door.log.debug({ event: 'ssh-error', addr: this.addr, err: error.message });
      // A keepalive that went unanswered: the peer is gone, so nothing would answer a graceful close either.
      if (error.level === 'client-timeout') this.socket.destroy();
    });
    client.on('authentication', (context) => this.authenticate(context));
    client.on('session', (accept, reject) => {
      if (this.channelTaken) return reject();
      this.channelTaken = true;
      this.serve(accept());
    });
  }

  /** Cuts the connection now: its chat, if any, sees the channel close. */
  destroy(): void {
    this.socket.destroy();
  }

  private get methods(): Array<'publickey' | 'keyboard-interactive'> {
    return this.door.authorizedKeys ? ['publickey'] : ['publickey', 'keyboard-interactive'];
  }

  private authenticate(context: ssh2.AuthContext): void {
    if (this.refusal !== undefined) {
      // Any method, `none` included, lets it in: all it gets is the reason it is refused.
      this.identity = { user: context.username, method: 'none', fingerprint: undefined };
      return context.accept();
    }
    switch (context.method) {
      case 'publickey': {
        const key = parsePublicKey(context.key.data);
        if (key === undefined) return context.reject(this.methods);
        if (this.door.authorizedKeys && !this.door.authorizedKeys.admits(key)) {
          if (context.signature) this.door.log.info({ event: 'ssh-denied', addr: this.addr, key: fingerprintOf(key) });
          return context.reject(this.methods);
        }
        // Without a signature the client only asks whether this key would do; it signs next.
        if (!context.signature) return context.accept();
        if (key.verify(context.blob!, context.signature, context.hashAlgo) !== true)
          return context.reject(this.methods);
        this.identity = { user: context.username, method: 'publickey', fingerprint: fingerprintOf(key) };
        return context.accept();
      }
      case 'keyboard-interactive':
        if (this.door.authorizedKeys) return context.reject(this.methods);
        // No prompts: a user without a key is let in as who it says it is, like other SSH chats.
        this.identity = { user: context.username, method: 'keyboard-interactive', fingerprint: undefined };
        return context.accept();
      default:
        return context.reject(this.methods);
    }
  }

  private serve(session: ssh2.Session): void {
    session.on('env', (accept, _reject, { key, val }) => {
      if (Object.keys(this.env).length < MAX_ENV_VARIABLES) this.env[key] = val;
      accept?.();
    });
    session.on('pty', (accept, reject, info) => {
      if (this.chatStarted) return reject?.();
      this.pty = { ...screenSize(info.cols || 80, info.rows || 24), term: info.term };
      accept?.();
    });
    session.on('window-change', (accept, _reject, info) => {
      if (info.cols > 0 && info.rows > 0) {
        const { columns, rows } = screenSize(info.cols, info.rows);
        this.entered?.resize?.(columns, rows);
      }
      accept?.();
    });
    session.on('shell', (accept, reject) => this.startChat(accept, reject));
    // A command is not run: `ssh host anything` gets the line protocol, like `ssh -T host`.
    session.on('exec', (accept, reject) => this.startChat(accept, reject));
    session.on('subsystem', (_accept, reject) => reject?.());
  }

  private startChat(accept: () => ssh2.ServerChannel, reject: () => void): void {
    if (this.chatStarted || this.identity === undefined) return reject();
    this.chatStarted = true;
    clearTimeout(this.deadline);
    const channel = accept();
    channel.on('close', () => this.finish());
    if (this.refusal !== undefined) {
      endWithStatus(channel, () => 1);
      channel.on('error', () => {});
      channel.end(this.refusal);
      return;
    }
    const { log } = this.door;
    const { user, method, fingerprint } = this.identity;
    log.info({ event: 'ssh-connect', addr: this.addr, user, auth: method, key: fingerprint ?? null });
    // Whatever ends the stream (a quit, an idle kick, shutdown) also tells the client the exit status:
    // 0 for a session, 1 when the room turned the user away before one was made.
    let admitted = false;
    endWithStatus(channel, () => (admitted ? 0 : 1));
    const terminal = this.pty && { pty: this.pty, env: this.env };
    this.entered = this.door.enter(channel, { identity: this.identity, addr: this.addr, ip: this.ip, terminal });
    admitted = this.entered !== undefined;
  }

  /** The chat's channel has closed: so does the connection, one channel being all it is for. */
  private finish(): void {
    this.client?.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  private expire(): void {
    if (this.chatStarted) return;
    this.door.log.info({ event: 'ssh-timeout', addr: this.addr, authenticated: this.identity !== undefined });
    this.socket.destroy();
  }
}

/**
 * Sends the exit status just before the channel's end: ssh2 sends EOF and close when the stream finishes,
 * and a status after those would be ignored. Without one, OpenSSH's `ssh` exits with 255, as if it failed.
 */
function endWithStatus(channel: ssh2.ServerChannel, status: () => number): void {
  const end = channel.end.bind(channel) as (...args: unknown[]) => ssh2.ServerChannel;
  let sent = false;
  channel.end = ((...args: unknown[]) => {
    if (!sent) {
      sent = true;
      channel.exit(status());
    }
    return end(...args);
  }) as typeof channel.end;
}

function screenSize(columns: number, rows: number): { columns: number; rows: number } {
  return { columns: Math.min(columns, MAX_COLUMNS), rows: Math.min(rows, MAX_ROWS) };
}
