import { createServer, type Server, type Socket } from 'node:net';
import { pino, type Logger } from 'pino';
import ssh2 from 'ssh2';
import { formatAddr, replies } from '../protocol/index.js';
import { AdmissionControl } from '../server/admission.js';
import type { ChatServer, ListeningAddress, Peer } from '../server/chat-server.js';
import type { Session } from '../server/chat/session.js';
import { langFromEnv, type Lang } from '../tui/i18n.js';
import { SshConnection, type Arrival, type DoorContext, type Entered, type TerminalRequest } from './connection.js';
import type * as Screens from './screen-session.js';
import type { AuthorizedKeys, HostKey } from './keys.js';
import { DEFAULT_SSH_LIMITS, type SshLimits } from './options.js';
import { pacedPair } from './paced-pair.js';
import { ScreenPacing } from './pacing.js';

/** How long connections get to close on their own at shutdown before they are cut. */
const SHUTDOWN_GRACE_MS = 2000;
/**
 * Connections past a limit that may be in the middle of being told why at once; past this they are cut
 * at once, so a flood of them costs no more than this many handshakes.
 */
const MAX_REFUSING = 64;
/** What the client sees of the server's software. */
const IDENT = 'chat-server';
/**
 * Lines for a line-mode user within this long of its last packet go out in the next one: too short for a
 * person or a script to notice, long enough that a busy room costs each of them a few dozen packets a second.
 */
const LINE_GATHER_MS = 25;

export interface SshDoorOptions extends Partial<SshLimits> {
  host: string;
  /** 0 picks a free port; start() reports the one chosen. */
  port: number;
  hostKey: HostKey;
  /** When given, only these keys get in, and keyboard-interactive is off. */
  authorizedKeys?: AuthorizedKeys;
  /** The screen's language for clients that send no LANG or LC_ALL. */
  lang?: Lang;
  logger?: Logger;
}

/**
 * The SSH door into a chat server's room: `ssh -p PORT host` makes the SSH user a member like any other,
 * named by its SSH user name. Without a pty the channel carries the line protocol as it is.
 */
export class SshDoor {
  private readonly limits: SshLimits;
  private readonly log: Logger;
  private readonly listener: Server;
  private readonly ssh: ssh2.Server;
  private readonly perIp: AdmissionControl;
  private readonly connections = new Set<SshConnection>();
  /** Connections between TCP accept and the client's SSH banner, by `ip|port`: ssh2 names them so. */
  private readonly awaitingBanner = new Map<string, SshConnection>();
  private readonly context: DoorContext;
  private refusing = 0;
  /** How often screens draw the room's lines: less often while the process is busy. */
  private readonly pacing = new ScreenPacing();
  private stopping: Promise<void> | undefined;
  /** Draws the app for clients with a pty; loaded by start(). */
  private startScreenSession: typeof Screens.startScreenSession | undefined;
  /** The address the door listens on, as the header of every SSH screen shows it. */
  private label = '';

  constructor(
    private readonly chat: ChatServer,
    private readonly options: SshDoorOptions,
  ) {
    this.limits = { ...DEFAULT_SSH_LIMITS };
    for (const name of Object.keys(DEFAULT_SSH_LIMITS) as Array<keyof SshLimits>) {
      this.limits[name] = options[name] ?? DEFAULT_SSH_LIMITS[name];
    }
    this.log = options.logger ?? pino({ level: 'silent' });
    this.perIp = new AdmissionControl({ maxClientsPerIp: this.limits.maxSessionsPerIp, joinRate: 0, joinBurst: 1 });
    this.ssh = new ssh2.Server({
      hostKeys: [options.hostKey.privateKey],
      ident: IDENT,
      keepaliveInterval: this.limits.keepaliveIntervalMs,
      keepaliveCountMax: this.limits.keepaliveCountMax,
    });
    this.ssh.on('connection', (client, info) => this.attach(client, info));
    this.context = {
      authorizedKeys: options.authorizedKeys,
      log: this.log,
      enter: (channel, arrival) => this.enter(channel, arrival),
    };
    this.listener = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** SSH connections open now, chatting or not. */
  get connectionCount(): number {
    return this.connections.size;
  }

  async start(): Promise<ListeningAddress> {
    this.startScreenSession ??= (await loadScreens()).startScreenSession;
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.listener.once('error', onError);
      this.listener.listen({ host: this.options.host, port: this.options.port }, () => {
        this.listener.off('error', onError);
        this.listener.on('error', (error) => this.log.error({ event: 'error', err: error.message }));
        const address = this.listener.address();
        if (address === null || typeof address === 'string') return reject(new Error('not a TCP listener'));
        this.label = `ssh ${formatAddr(address.address, address.port)}`;
        const { fingerprint, created } = this.options.hostKey;
        this.log.info({
          event: 'ssh-listening',
          host: address.address,
          port: address.port,
          hostKey: fingerprint,
          created,
        });
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /**
   * Stops listening and cuts connections that are not chatting. Chatting ones close with their chat
   * session, which the chat server's stop() ends with `服务器已关闭`; any still open after a grace are cut.
   */
  stop(): Promise<void> {
    this.stopping ??= new Promise((resolve) => {
      this.perIp.stop();
      this.pacing.stop();
      this.listener.close(() => resolve());
      for (const connection of this.connections) if (!connection.chatting) connection.destroy();
      setTimeout(() => {
        for (const connection of this.connections) connection.destroy();
      }, SHUTDOWN_GRACE_MS).unref();
    });
    return this.stopping;
  }

  private accept(socket: Socket): void {
    const { remoteAddress: ip, remotePort: port } = socket;
    if (ip === undefined || port === undefined || this.stopping) {
      socket.destroy();
      return;
    }
    socket.on('error', () => {});
    const refusal = this.admit(ip);
    if (refusal !== undefined && this.refusing >= MAX_REFUSING) {
      socket.destroy();
      return;
    }
    const connection = new SshConnection(socket, ip, port, this.context, this.limits.handshakeTimeoutMs, refusal);
    const key = `${ip}|${port}`;
    this.connections.add(connection);
    this.awaitingBanner.set(key, connection);
    if (refusal !== undefined) this.refusing += 1;
    socket.once('close', () => {
      this.connections.delete(connection);
      this.awaitingBanner.delete(key);
      if (refusal === undefined) this.perIp.release(ip);
      else this.refusing -= 1;
    });
    this.ssh.injectSocket(socket);
  }

  /** Why a new connection from `ip` is turned away, or undefined when it is let in (and counted). */
  private admit(ip: string): string | undefined {
    const { maxSessions, maxSessionsPerIp } = this.limits;
    const addr = ip;
    if (this.connections.size - this.refusing >= maxSessions) {
      this.log.warn({ event: 'ssh-refuse', addr, reason: 'full', maxSessions });
      return replies.serverFull();
    }
    if (this.perIp.admit(ip) !== 'admitted') {
      this.log.warn({ event: 'ssh-refuse', addr, reason: 'per-ip-limit', maxSessionsPerIp });
      return replies.tooManyConnections();
    }
    return undefined;
  }

  private attach(client: ssh2.Connection, info: ssh2.ClientInfo): void {
    const key = `${info.ip}|${info.port}`;
    const connection = this.awaitingBanner.get(key);
    this.awaitingBanner.delete(key);
    if (connection === undefined) {
      client.end();
      return;
    }
    connection.attach(client);
  }

  /**
   * Brings an SSH user into the room under its SSH user name. A user that signed with a key takes over the
   * name a member of that same key still holds, on this process or another: that member is most likely a
   * ghost of a connection that died without a word, and the room closes it first (Room.join).
   */
  private enter(channel: ssh2.ServerChannel, arrival: Arrival): Entered | undefined {
    const { identity, addr, ip, terminal } = arrival;
    const peer = { addr, ip, name: identity.user, fingerprint: identity.fingerprint };
    return terminal ? this.openScreen(channel, terminal, peer) : this.openLines(channel, peer);
  }

  /**
   * An SSH user without a pty: the line protocol, as over TCP. Each write is a packet to encrypt, and a
   * busy room writes every member a round of lines each few ms: what comes within LINE_GATHER_MS of the
   * last packet goes out together, so a line-mode user costs packets by the time, not by the round.
   */
  private openLines(channel: ssh2.ServerChannel, peer: Peer): Entered | undefined {
    const { room, screen: user } = pacedPair((lastAt, now) => lastAt + LINE_GATHER_MS - now);
    user.pipe(channel);
    channel.pipe(user);
    // The chat closed its end at once (a slow reader) or the user's connection went: both ends go.
    user.once('close', () => {
      if (!channel.writableEnded) channel.destroy();
    });
    channel.once('close', () => user.destroy());
    // The session hears of a failed channel as of a dropped connection: by its end closing.
    channel.on('error', () => user.destroy());
    return wrap(this.chat.open(room, peer));
  }

  /** An SSH user with a pty: the app on a screen of its own, drawn at its own place in the shared pace. */
  private openScreen(channel: ssh2.ServerChannel, terminal: TerminalRequest, peer: Peer): Entered | undefined {
    const slot = this.pacing.addScreen();
    const entered = this.startScreenSession!({
      channel,
      pty: terminal.pty,
      lang:
        'LANG' in terminal.env || 'LC_ALL' in terminal.env ? langFromEnv(terminal.env) : (this.options.lang ?? 'en'),
      label: this.label,
      gatherMs: slot.gatherMs,
      maxBufferedBytes: this.chat.maxQueueBytes,
      log: this.log,
      addr: peer.addr,
      open: (stream) => this.chat.open(stream, peer),
    });
    if (entered === undefined) slot.release();
    else channel.once('close', slot.release);
    return entered;
  }
}

function wrap(session: Session | undefined): Entered | undefined {
  return session && { session };
}

/**
 * The screen code, Ink and React with it. Ink decides once, as it loads, whether it runs under CI (the CI
 * variable set), and then draws nothing until the end: a server started from a CI job must still draw
 * screens. React picks its build by NODE_ENV as it loads: unset, it would be the development build, which
 * costs several times the CPU per frame.
 */
async function loadScreens(): Promise<typeof Screens> {
  process.env.NODE_ENV ??= 'production';
  const hidden = ['CI', 'CONTINUOUS_INTEGRATION'].flatMap((name) => {
    const value = process.env[name];
    delete process.env[name];
    return value === undefined ? [] : [[name, value] as const];
  });
  try {
    return await import('./screen-session.js');
  } finally {
    for (const [name, value] of hidden) process.env[name] = value;
  }
}
