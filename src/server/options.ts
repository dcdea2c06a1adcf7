import type { Logger } from 'pino';

export interface ChatServerOptions {
  host: string;
  /** 0 picks a free port; start() reports the one chosen. */
  port: number;
  /** 0 disables the idle kick. */
  idleTimeoutMs: number;
  maxClients: number;
  maxLineBytes: number;
  maxQueueBytes: number;
  /** Lines per second a connection may send on average; 0 means no limit. */
  rate: number;
  burst: number;
  /** Connections one address (an IPv6 /64) may hold at once; 0 means no limit. */
  maxClientsPerIp: number;
  /** New connections per second one address may open on average; 0 means no limit. */
  joinRate: number;
  /** New connections one address may open at once. */
  joinBurst: number;
  /**
   * Addresses and CIDR ranges of load balancers whose connections begin with a PROXY protocol header (v1
   * or v2): the client's own address, which the room shows and limits by. Empty: no one is trusted.
   */
  proxyFrom: readonly string[];
  logger?: Logger;
  /** Share the room with every process started with the same Redis and prefix. */
  redis?: RedisOptions;
}

export interface RedisOptions {
  /** redis://[user:password@]host:port/db */
  url: string;
  /** Every key starts with `{prefix}:`, so several chats can share one Redis. */
  prefix: string;
  /** How long this process may be cut off from Redis before its members are told and disconnected. */
  outageLimitMs: number;
}

export const DEFAULT_REDIS_PREFIX = 'chat';
export const DEFAULT_OUTAGE_LIMIT_MS = 30_000;

export const DEFAULT_OPTIONS: Omit<ChatServerOptions, 'logger' | 'redis'> = {
  host: '127.0.0.1',
  port: 8888,
  idleTimeoutMs: 300_000,
  maxClients: 10_000,
  maxLineBytes: 4096,
  maxQueueBytes: 1024 * 1024,
  rate: 20,
  burst: 40,
  maxClientsPerIp: 16,
  joinRate: 2,
  joinBurst: 10,
  proxyFrom: [],
};
