import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors kept free for what else the process opens: the refusals in flight, log files, DNS. */
export const FD_RESERVE = 16;

export interface OpenFileLimits {
  /** The limit in force (RLIMIT_NOFILE's soft limit); Infinity when unlimited. */
  soft: number;
  hard: number;
  /** Descriptors open now. */
  inUse: number;
}

/**
 * The process's open-file limits and use, read from /proc on Linux; undefined elsewhere. Node itself
 * raises the soft limit to the hard one when it starts, so the soft limit read here is already as high as
 * an unprivileged process can set it.
 */
export function readOpenFileLimits(): OpenFileLimits | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'));
    const [soft, hard] = line?.match(/^Max open files\s+(\S+)\s+(\S+)/)?.slice(1) ?? [];
    if (soft === undefined || hard === undefined) return undefined;
    const value = (text: string) => (text === 'unlimited' ? Infinity : Number(text));
    return { soft: value(soft), hard: value(hard), inUse: readdirSync('/proc/self/fd').length };
  } catch {
    return undefined;
  }
}

/** Client sockets (served or being refused) that fit beside what is open now, keeping FD_RESERVE free. */
export function socketCapacity(limits: OpenFileLimits): number {
  return Math.max(0, limits.soft - limits.inUse - FD_RESERVE);
}
