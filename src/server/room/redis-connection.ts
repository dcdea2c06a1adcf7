import { createHash } from 'node:crypto';
import { createClient } from '@redis/client';

/** How long the first connection may take before the server gives up at start. */
const CONNECT_TIMEOUT_MS = 5000;
/** Reconnection backoff: doubling from the first step to the cap, with jitter so processes do not stampede. */
const BACKOFF_FIRST_MS = 100;
const BACKOFF_CAP_MS = 1000;

/** A reply as Redis sends it over RESP2: strings, integers, nulls and arrays of those. */
export type RedisReply = string | number | null | RedisReply[];

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

/** Connects to `url` (redis://host:port/db); rejects with a readable message when the first attempt fails. */
export async function connectRedis(url: string, name: string): Promise<RedisConnection> {
  let connectedOnce = false;
  const client = createClient({
    url,
    name,
    RESP: 2,
    disableOfflineQueue: true,
    // Every command gets a deadline of ours (below); the library's own would cost a timer signal each.
    commandOptions: { timeout: 0 },
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

  const command = (args: readonly string[], timeoutMs: number): Promise<RedisReply> =>
    client.isReady
      ? withTimeout(client.sendCommand<RedisReply>(args), timeoutMs, args[0] ?? '')
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
      client.destroy();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisTimeoutError(`${what} took over ${timeoutMs} ms`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
