import { connect as netConnect } from 'node:net';
import { Duplex } from 'node:stream';
import { formatAddr } from '../protocol/index.js';

/** One open connection to the room: the bytes both ways, and our own address on it when there is one. */
export interface Link {
  readonly stream: Duplex;
  /** Our end's address as the server would write it (`ip:port`); absent for an in-process stream. */
  readonly localAddr?: string;
}

/**
 * What ChatClient talks through: a TCP socket, or an in-process stream (an SSH door runs the same app
 * over one). The client frames, paces and parses; a transport only opens connections.
 */
export interface Transport {
  /** Where this leads, for the header and for error messages. */
  readonly label: string;
  /** Whether a dropped connection can be opened again. */
  readonly reconnects: boolean;
  /** Opens a connection. Rejects with a ConnectError that says why in one line. */
  open(): Promise<Link>;
}

/** Why a connection could not be opened, in words fit for one line on the terminal. */
export class ConnectError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

const CONNECT_TIMEOUT_MS = 10_000;

/** A TCP connection to `host:port`, opened afresh on every reconnect. */
export function tcpTransport(host: string, port: number): Transport {
  return {
    label: formatAddr(host, port),
    reconnects: true,
    open: () =>
      new Promise((resolve, reject) => {
        const socket = netConnect({ host, port });
        // A host that drops our packets would leave us "connecting" for minutes.
        socket.setTimeout(CONNECT_TIMEOUT_MS, () => {
          const error: NodeJS.ErrnoException = new Error('timed out');
          error.code = 'ETIMEDOUT';
          socket.destroy(error);
        });
        const failed = (error: NodeJS.ErrnoException) => reject(describeConnectError(error, host, port));
        socket.once('error', failed);
        socket.once('connect', () => {
          socket.off('error', failed);
          socket.setTimeout(0);
          socket.setNoDelay(true);
          socket.setKeepAlive(true, 30_000);
          resolve({ stream: socket, localAddr: formatAddr(socket.localAddress ?? '', socket.localPort ?? 0) });
        });
      }),
  };
}

/**
 * One stream handed over by whoever runs us in-process (an SSH door, a test). It opens once: when it
 * closes, the chat is over.
 */
export function streamTransport(stream: Duplex, label = 'in-process'): Transport {
  let used = false;
  return {
    label,
    reconnects: false,
    open: () => {
      if (used) return Promise.reject(new ConnectError(`${label}: the stream is closed`, 'ECLOSED'));
      used = true;
      return Promise.resolve({ stream });
    },
  };
}

/**
 * Two connected in-process streams: what one side writes, the other reads. A write completes when the
 * other side has taken it in, so a slow reader holds the writer back as a socket would. Destroying either
 * side closes both, as a dropped connection does.
 */
export function streamPair(): [Duplex, Duplex] {
  const a = new PairSide();
  const b = new PairSide();
  a.other = b;
  b.other = a;
  return [a, b];
}

class PairSide extends Duplex {
  other!: PairSide;
  private writeDone: (() => void) | undefined;

  override _read(): void {
    const done = this.writeDone;
    this.writeDone = undefined;
    done?.();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (chunk.length === 0) return process.nextTick(callback);
    if (this.other.push(chunk)) callback();
    else this.other.writeDone = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.other.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.writeDone = undefined;
    this.other.writeDone = undefined;
    if (!this.other.destroyed) this.other.destroy();
    callback(error);
  }
}

export function describeConnectError(error: NodeJS.ErrnoException, host: string, port: number): ConnectError {
  const where = formatAddr(host, port);
  switch (error.code) {
    case 'ECONNREFUSED':
      return new ConnectError(
        `cannot connect to ${where}: connection refused. Start a server there with \`chat-server --ip ${host} --port ${port}\`, or run \`chat-tui --serve\` to start one in this window.`,
        error.code,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectError(`cannot connect to ${where}: unknown host "${host}".`, error.code);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ConnectError(`cannot connect to ${where}: the host cannot be reached (${error.code}).`, error.code);
    default:
      return new ConnectError(`cannot connect to ${where}: ${error.message}`, error.code);
  }
}
