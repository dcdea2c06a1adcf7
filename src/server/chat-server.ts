import { createServer, type Server, type Socket } from 'node:net';
import { pino, type Logger } from 'pino';
import { formatAddr, replies } from '../protocol/index.js';
import { Connection, type CloseReason } from './connection.js';
import { Fanout } from './fanout.js';
import { FlushScheduler } from './flush-scheduler.js';
import { DEFAULT_OPTIONS, type ChatServerOptions } from './options.js';
import { LocalRoom, type Room } from './registry.js';

/** How long connections get to take their `服务器已关闭` before they are cut at shutdown. */
const SHUTDOWN_GRACE_MS = 2000;
/** How long a refused client gets to read why before it is cut off. */
const REFUSED_GRACE_MS = 2000;
/**
 * Connections the kernel may hold for accept(). Node's default, 511, overflows when thousands reconnect at
 * once: the overflow is dropped and retried after 1, 3, 7... seconds. The kernel caps it at somaxconn.
 */
const LISTEN_BACKLOG = 4096;

export interface ListeningAddress {
  host: string;
  port: number;
}

export class ChatServer {
  private readonly options: ChatServerOptions;
  private readonly log: Logger;
  private readonly fanout = new Fanout();
  private readonly room: Room = new LocalRoom(this.fanout);
  private readonly connections = new Set<Connection>();
  /** Sockets turned away (server full or stopping) that have not closed yet. */
  private readonly refused = new Set<Socket>();
  private readonly flusher = new FlushScheduler(this.fanout, () => this.connections);
  private readonly listener: Server;
  private stopping: Promise<void> | undefined;

  constructor(options: Partial<ChatServerOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.log = options.logger ?? pino({ level: 'silent' });
    this.listener = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.accept(socket));
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Bytes queued for all clients and not yet taken by the kernel: bounded by clients × maxQueueBytes. */
  get queuedBytes(): number {
    let total = 0;
    for (const connection of this.connections) total += connection.queuedBytes;
    return total;
  }

  start(): Promise<ListeningAddress> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.listener.once('error', onError);
      this.listener.listen({ host: this.options.host, port: this.options.port, backlog: LISTEN_BACKLOG }, () => {
        this.listener.off('error', onError);
        this.listener.on('error', (error) => this.log.error({ event: 'error', err: error.message }));
        const address = this.listener.address();
        if (address === null || typeof address === 'string') return reject(new Error('not a TCP listener'));
        this.log.info({ event: 'listening', host: address.address, port: address.port });
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /** Tells every client `服务器已关闭`, closes every connection and stops listening. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= new Promise((resolve) => {
      this.listener.close(() => resolve());
      for (const connection of this.connections) connection.close('shutdown', replies.serverClosing());
      setTimeout(() => {
        for (const connection of this.connections) connection.destroy();
        for (const socket of this.refused) socket.destroy();
      }, SHUTDOWN_GRACE_MS).unref();
    });
    return this.stopping;
  }

  private accept(socket: Socket): void {
    if (socket.remoteAddress === undefined || socket.remotePort === undefined) {
      socket.destroy();
      return;
    }
    const addr = formatAddr(socket.remoteAddress, socket.remotePort);
    if (this.stopping) {
      this.refuse(socket, replies.serverClosing());
      return;
    }
    if (this.connections.size >= this.options.maxClients) {
      this.log.warn({ event: 'refuse', addr, reason: 'full', maxClients: this.options.maxClients });
      this.refuse(socket, replies.serverFull());
      return;
    }
    const connection = new Connection(
      addr,
      socket,
      this.room,
      this.fanout,
      this.flusher,
      this.options,
      this.log,
      (closed, reason) => this.forget(closed, reason),
    );
    this.connections.add(connection);
    this.log.info({ event: 'connect', addr, online: this.connections.size });
    connection.enter();
  }

  /** Says `line` and closes; a peer that does not close its side in time is cut off, so none lingers. */
  private refuse(socket: Socket, line: string): void {
    this.refused.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => this.refused.delete(socket));
    socket.resume();
    socket.end(line);
    setTimeout(() => socket.destroy(), REFUSED_GRACE_MS).unref();
  }

  private forget(connection: Connection, reason: CloseReason): void {
    this.connections.delete(connection);
    this.log.info({
      event: 'disconnect',
      addr: connection.addr,
      name: connection.name,
      reason,
      online: this.connections.size,
    });
  }
}
