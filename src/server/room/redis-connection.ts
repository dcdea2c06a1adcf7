import { createHash } from 'node:crypto';
import { createClient, RESP_TYPES } from '@redis/client';

/** How long the first connection may take before the server gives up at start. */
const CONNECT_TIMEOUT_MS = 5000;
/** Reconnection backoff: doubling from the first step to the cap, with jitter so processes do not stampede. */
const BACKOFF_FIRST_MS = 100;
const BACKOFF_CAP_MS = 1000;

/**
 * A reply as Redis sends it over RESP2: strings (Buffers on a connection opened with `bytes`), integers,
 * nulls and arrays of those.
 */
export type RedisReply = string | Buffer | number | null | RedisReply[];

/** A Lua script, sent by its digest once Redis knows it. */
export interface LuaScript {
  readonly body: string;
  readonly sha: string;
}

export function luaScript(body: string): LuaScript {
  return { body, sha: createHash('sha1').update(body).digest('hex') };
}

/**
 * One connection to Redis, as the room needs it and no more: commands with a deadline, scripts, and word of
 * the link going down and coming back. It reconnects by itself with backoff; while it is down, commands fail
 * at once rather than queue, so the room decides what waits.
 */
export interface RedisConnection {
  readonly isReady: boolean;
  /** Runs one command; rejects when it is not answered within `timeoutMs`, or at once while disconnected. */
  command(args: readonly string[], timeoutMs: number): Promise<RedisReply>;
  /** Runs a script by digest, sending its body when Redis does not know it (a restarted Redis forgets). */
  script(script: LuaScript, keys: readonly string[], args: readonly string[], timeoutMs: number): Promise<RedisReply>;
  /** Called each time the link comes up again after being down. */
  onReady(listener: () => void): void;
  /** Called each time the link goes down. */
  onDown(listener: (reason: string) => void): void;
  /** Closes for good; nothing reconnects. */
  close(): void;
}

export class RedisTimeoutError extends Error {}

/** The link was down: the command was not sent, so it certainly did not happen. */
export class RedisOfflineError extends Error {}

interface Waiting {
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly what: string;
  reject(error: Error): void;
}

/**
 * Connects to `url` (redis://host:port/db); rejects with a readable message when the first attempt fails.
 * With `bytes`, bulk strings in replies come as Buffers, not decoded into strings.
 */
export async function connectRedis(
  url: string,
  name: string,
  options: { bytes?: boolean } = {},
): Promise<RedisConnection> {
  let connectedOnce = false;
  const client = createClient({
    url,
    name,
    RESP: 2,
    disableOfflineQueue: true,
    // Every command gets a deadline of ours (below); the library's own would cost a timer signal each.
    commandOptions: {
      timeout: 0,
      ...(options.bytes ? { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } : {}),
    },
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // TCP keepalive finds a peer that vanished without closing (a machine lost), sooner than the kernel would.
      keepAlive: true,
      keepAliveInitialDelay: 5000,
      reconnectStrategy: (retries: number, cause: Error) => {
        if (!connectedOnce) return cause;
        const step = Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** Math.min(retries, 10));
        return Math.round(step / 2 + (Math.random() * step) / 2);
      },
    },
  });
  const readyListeners: Array<() => void> = [];
  const downListeners: Array<(reason: string) => void> = [];
  let up = false;
  const goDown = (reason: string) => {
    if (!up) return;
    up = false;
    for (const listener of downListeners) listener(reason);
  };
  client.on('error', (error: Error) => goDown(error.message || String(error)));
  client.on('end', () => goDown('closed'));
  client.on('reconnecting', () => goDown('reconnecting'));
  client.on('ready', () => {
    if (up) return;
    up = true;
    if (!connectedOnce) return;
    for (const listener of readyListeners) listener();
  });
  await client.connect();
  connectedOnce = true;
  up = true;

  // Commands waiting for their replies, held against their deadlines by one timer, set for the earliest.
  const waiting = new Set<Waiting>();
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  const checkAt = (at: number) => {
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(checkDeadlines, Math.max(0, at - performance.now())).unref();
  };
  const checkDeadlines = () => {
    timer = undefined;
    timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const entry of waiting) {
      if (entry.deadline > now) {
        next = Math.min(next, entry.deadline);
        continue;
      }
      waiting.delete(entry);
      entry.reject(new RedisTimeoutError(`${entry.what} took over ${entry.timeoutMs} ms`));
    }
    if (next < Infinity) checkAt(next);
  };

  /** `promise`, or a RedisTimeoutError once `timeoutMs` have passed without it settling. */
  const withDeadline = <T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const entry: Waiting = { deadline: performance.now() + timeoutMs, timeoutMs, what, reject };
      waiting.add(entry);
      if (entry.deadline < timerAt) checkAt(entry.deadline);
      promise.then(
        (value) => {
          if (waiting.delete(entry)) resolve(value);
        },
        (error: unknown) => {
          if (waiting.delete(entry)) reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });

  const command = (args: readonly string[], timeoutMs: number): Promise<RedisReply> =>
    client.isReady
      ? withDeadline(client.sendCommand<RedisReply>(args), timeoutMs, args[0] ?? '')
      : Promise.reject(new RedisOfflineError(`${args[0] ?? ''} not sent: the link to Redis is down`));

  return {
    get isReady() {
      return client.isReady;
    },
    command,
    async script(script, keys, args, timeoutMs) {
      const rest = [String(keys.length), ...keys, ...args];
      try {
        return await command(['EVALSHA', script.sha, ...rest], timeoutMs);
      } catch (error) {
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
        return command(['EVAL', script.body, ...rest], timeoutMs);
      }
    },
    onReady(listener) {
      readyListeners.push(listener);
    },
    onDown(listener) {
      downListeners.push(listener);
    },
    close() {
      up = false;
      clearTimeout(timer);
      client.destroy();
    },
  };
}
