import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { pino, type Logger } from 'pino';
import { formatAddr, replies } from '../protocol/index.js';
import { AdmissionControl } from './admission.js';
import { Session, type CloseReason, type SessionContext } from './chat/session.js';
import { Fanout } from './delivery/fanout.js';
import { FlushScheduler } from './delivery/flush-scheduler.js';
import { readOpenFileLimits, socketCapacity } from './fd-limit.js';
import { readProxyHeader, TrustedProxies } from './proxy-header.js';
import { DEFAULT_OPTIONS, type ChatServerOptions } from './options.js';
import { LocalRoom } from './room/local-room.js';
import type { RedisRoom } from './room/redis-room.js';

/** How long sessions get to take their `服务器已关闭` before they are cut at shutdown. */
const SHUTDOWN_GRACE_MS = 2000;
/** How long a trusted balancer's connection may take to send its PROXY header. */
const PROXY_HEADER_DEADLINE_MS = 5000;
/** How long a refused client gets to read why before it is cut off. */
const REFUSED_GRACE_MS = 2000;
/**
 * Connections the kernel may hold for accept(). Node's default, 511, overflows when thousands reconnect at
 * once: the overflow is dropped and retried after 1, 3, 7... seconds. The kernel caps it at somaxconn.
 */
const LISTEN_BACKLOG = 4096;
/** Listener errors (such as EMFILE from accept) are logged at most once in this, with a count of the rest. */
const LISTENER_ERROR_LOG_INTERVAL_MS = 1000;

export interface ListeningAddress {
  host: string;
  port: number;
}

/**
 * Where a member connects from: `addr` as the protocol shows it, `ip` for the per-address limits; `name`,
 * when given, is the name it asks to join under (else it joins under its addr, as over TCP); `fingerprint`,
 * of the SSH key it proved it holds, lets it take its name over from its own old connection (Room.join).
 */
export interface Peer {
  addr: string;
  ip: string;
  name?: string;
  fingerprint?: string;
}

/**
 * The chat daemon: one room, the sessions in it, and the TCP listener that brings them. Other transports
 * (an SSH door) bring members in through open(), the same way.
 */
export class ChatServer {
  private readonly options: ChatServerOptions;
  private readonly log: Logger;
  private readonly fanout = new Fanout();
  private readonly sessions = new Set<Session>();
  /** Streams turned away (server full or stopping) that have not closed yet. */
  private readonly refused = new Set<Duplex>();
  /** Connections from a trusted balancer whose PROXY header has not come yet. */
  private readonly proxied = new Set<Socket>();
  private readonly trustedProxies: TrustedProxies;
  private readonly flusher: FlushScheduler;
  private readonly admission: AdmissionControl;
  private readonly context: SessionContext;
  private readonly listener: Server;
  /** The room shared with other processes through Redis, when there is one. */
  private shared: RedisRoom | undefined;
  private stopping: Promise<void> | undefined;
  /** TCP sockets the open-file limit leaves room for, served and refused together. */
  private socketCapacity = Infinity;
  /** Set while stopping: called by forget() when the last session has gone (and been logged). */
  private onEmptied: (() => void) | undefined;

  constructor(options: Partial<ChatServerOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.log = options.logger ?? pino({ level: 'silent' });
    this.admission = new AdmissionControl(this.options);
    this.trustedProxies = new TrustedProxies(this.options.proxyFrom);
    this.flusher = new FlushScheduler(this.fanout, () => this.sessions, this.options.redis !== undefined);
    this.context = {
      room: new LocalRoom(this.fanout),
      fanout: this.fanout,
      flusher: this.flusher,
      limits: this.options,
      log: this.log,
    };
    this.listener = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.accept(socket));
  }

  /** What one member may be owed before it is dropped as too slow: other transports bound their own queues by it. */
  get maxQueueBytes(): number {
    return this.options.maxQueueBytes;
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Bytes queued for all members and not yet taken by the kernel: bounded by members × maxQueueBytes. */
  get queuedBytes(): number {
    let total = 0;
    for (const session of this.sessions) total += session.queuedBytes;
    return total;
  }

  /** Joins the shared room first when there is one: a Redis that cannot be reached fails the start. */
  async start(): Promise<ListeningAddress> {
    const { redis } = this.options;
    if (redis) {
      // Loaded only when asked for: a server without Redis starts without its client library.
      const { RedisRoom } = await import('./room/redis-room.js');
      this.shared = await RedisRoom.open({
        ...redis,
        fanout: this.fanout,
        log: this.log,
        onCutOff: () => this.cutOff(),
      });
      this.context.room = this.shared;
    }
    try {
      return await this.listen();
    } catch (error) {
      await this.shared?.stop();
      throw error;
    }
  }

  private listen(): Promise<ListeningAddress> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.listener.once('error', onError);
      this.listener.listen({ host: this.options.host, port: this.options.port, backlog: LISTEN_BACKLOG }, () => {
        this.listener.off('error', onError);
        let loggedAt = -Infinity;
        let suppressed = 0;
        this.listener.on('error', (error: NodeJS.ErrnoException) => {
          if (performance.now() - loggedAt < LISTENER_ERROR_LOG_INTERVAL_MS) {
            suppressed += 1;
            return;
          }
          this.log.error({ event: 'accept-error', err: error.message, code: error.code, suppressed });
          loggedAt = performance.now();
          suppressed = 0;
        });
        const address = this.listener.address();
        if (address === null || typeof address === 'string') return reject(new Error('not a TCP listener'));
        this.log.info({ event: 'listening', host: address.address, port: address.port });
        // Past the open-file limit, accept() fails and libuv closes the newcomers unanswered and unlogged:
        // refuse them ourselves while a descriptor is still free to say why.
        const limits = readOpenFileLimits();
        if (limits) this.socketCapacity = socketCapacity(limits);
        if (limits && this.socketCapacity < this.options.maxClients) {
          this.log.warn({
            event: 'fd-limit',
            maxClients: this.options.maxClients,
            usable: this.socketCapacity,
            softLimit: limits.soft,
            hardLimit: limits.hard,
            inUse: limits.inUse,
          });
        }
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /**
   * Tells every member `服务器已关闭`, closes every session and stops listening; resolves once each
   * session's `disconnect` is logged. Safe to call twice.
   */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      this.admission.stop();
      // The listener reports closed when its last socket is destroyed, a moment before that socket's close
      // event, which logs its `disconnect`.
      const closed = new Promise<void>((listenerClosed) => this.listener.close(() => listenerClosed()));
      const emptied = new Promise<void>((allGone) => (this.onEmptied = allGone));
      if (this.sessions.size === 0) this.onEmptied!();
      void Promise.all([closed, emptied]).then(() => resolve());
      for (const session of this.sessions) session.close('shutdown', replies.serverClosing());
      // Not members yet: nobody to say goodbye to.
      for (const socket of this.proxied) socket.destroy();
      setTimeout(() => {
        for (const session of this.sessions) session.destroy();
        for (const stream of this.refused) stream.destroy();
      }, SHUTDOWN_GRACE_MS).unref();
    }).then(() => this.shared?.stop());
    return this.stopping;
  }

  /**
   * Brings a member in over `stream`, or turns it away with a line that says why (server full, stopping,
   * too many connections from its address). Returns the session, or undefined when it was turned away.
   */
  open(stream: Duplex, peer: Peer): Session | undefined {
    const { addr, ip } = peer;
    if (this.stopping) {
      this.refuse(stream, replies.serverClosing());
      return undefined;
    }
    if (this.shared && !this.shared.reachable) {
      this.refuse(stream, replies.roomUnreachable());
      return undefined;
    }
    if (this.sessions.size >= this.options.maxClients) {
      this.log.warn({ event: 'refuse', addr, reason: 'full', maxClients: this.options.maxClients });
      this.refuse(stream, replies.serverFull());
      return undefined;
    }
    const admission = this.admission.admit(ip);
    if (admission !== 'admitted') {
      this.log.warn({ event: 'refuse', addr, reason: admission === 'too-many' ? 'per-ip-limit' : 'join-rate' });
      this.refuse(stream, replies.tooManyConnections());
      return undefined;
    }
    const forget = (closed: Session, reason: CloseReason) => this.forget(closed, reason, ip);
    const session = new Session(addr, stream, this.context, forget, peer.fingerprint);
    this.sessions.add(session);
    session.enter(peer.name);
    this.log.info({ event: 'connect', addr, name: session.name, online: this.sessions.size });
    return session;
  }

  /** Cut off from the shared room too long: everyone is told, and free to reconnect to another process. */
  private cutOff(): void {
    for (const session of this.sessions) session.close('cut-off', replies.roomUnreachable());
  }

  private accept(socket: Socket): void {
    const { remoteAddress, remotePort } = socket;
    if (remoteAddress === undefined || remotePort === undefined) {
      socket.destroy();
      return;
    }
    const addr = formatAddr(remoteAddress, remotePort);
    if (!this.stopping && this.sessions.size + this.refused.size + this.proxied.size >= this.socketCapacity) {
      this.log.warn({ event: 'refuse', addr, reason: 'fd-limit', online: this.sessions.size });
      this.refuse(socket, replies.serverFull());
      return;
    }
    if (!this.trustedProxies.includes(remoteAddress)) {
      this.open(socket, { addr, ip: remoteAddress });
      return;
    }
    // A balancer's connection: the client's own address comes first, in a PROXY header.
    this.proxied.add(socket);
    readProxyHeader(socket, PROXY_HEADER_DEADLINE_MS).then(
      (source) => {
        this.proxied.delete(socket);
        const ip = source?.ip ?? remoteAddress;
        this.open(socket, { addr: formatAddr(ip, source?.port ?? remotePort), ip });
      },
      (error: Error) => {
        this.proxied.delete(socket);
        this.log.warn({ event: 'refuse', addr, reason: 'proxy-header', detail: error.message });
        socket.destroy();
      },
    );
  }

  /** Says `line` and closes; a peer that does not close its side in time is cut off, so none lingers. */
  private refuse(stream: Duplex, line: string): void {
    this.refused.add(stream);
    stream.on('error', () => {});
    stream.on('close', () => this.refused.delete(stream));
    stream.resume();
    stream.end(line);
    // Short of descriptors, one is not held for the peer's close: the line is in the kernel's hands.
    if (this.sessions.size + this.refused.size > this.socketCapacity) stream.once('finish', () => stream.destroy());
    setTimeout(() => stream.destroy(), REFUSED_GRACE_MS).unref();
  }

  private forget(session: Session, reason: CloseReason, ip: string): void {
    this.sessions.delete(session);
    this.admission.release(ip);
    const { addr, name } = session;
    this.log.info({ event: 'disconnect', addr, name, reason, online: this.sessions.size });
    if (this.sessions.size === 0) this.onEmptied?.();
  }
}
