import ipaddr from 'ipaddr.js';
import { TokenBucket } from './token-bucket.js';

export interface AdmissionLimits {
  /** Connections one address may hold at once; 0 means no limit. */
  maxClientsPerIp: number;
  /** New connections per second one address may open on average; 0 means no limit. */
  joinRate: number;
  /** New connections one address may open at once. */
  joinBurst: number;
}

export type Admission = 'admitted' | 'too-many' | 'too-fast';

interface Peer {
  connections: number;
  joins: TokenBucket;
  lastJoinAt: number;
}

/** How often addresses with no connection left and a full join allowance are forgotten. */
const SWEEP_INTERVAL_MS = 10_000;

/**
 * Per-address limits on new connections, whatever they come by. Joining and leaving costs every member
 * online a line each, and needs no chat line, so the line rate limit never sees it: these do.
 *
 * An IPv6 peer is counted by its /64, the block one subscriber gets; IPv4-mapped addresses count as IPv4.
 */
export class AdmissionControl {
  private readonly peers = new Map<string, Peer>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  /** Counts a new connection from `ip` unless it is over a limit. */
  admit(ip: string): Admission {
    const key = peerKey(ip);
    let peer = this.peers.get(key);
    if (peer === undefined) {
      peer = {
        connections: 0,
        joins: new TokenBucket(this.limits.joinRate, this.limits.joinBurst, this.now),
        lastJoinAt: 0,
      };
      this.peers.set(key, peer);
    }
    if (this.limits.maxClientsPerIp > 0 && peer.connections >= this.limits.maxClientsPerIp) return 'too-many';
    if (!peer.joins.tryTake()) return 'too-fast';
    peer.connections += 1;
    peer.lastJoinAt = this.now();
    return 'admitted';
  }

  /** A connection admitted from `ip` has closed. */
  release(ip: string): void {
    const peer = this.peers.get(peerKey(ip));
    if (peer) peer.connections = Math.max(0, peer.connections - 1);
  }

  /** Addresses being tracked: those with connections, or joins recent enough to count against them. */
  get trackedPeers(): number {
    return this.peers.size;
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const { joinRate, joinBurst } = this.limits;
    const refillMs = joinRate > 0 ? (joinBurst / joinRate) * 1000 : 0;
    const now = this.now();
    for (const [key, peer] of this.peers) {
      if (peer.connections === 0 && now - peer.lastJoinAt >= refillMs) this.peers.delete(key);
    }
  }
}

/** The address a limit applies to: IPv4 as it is, IPv6 by its /64. */
export function peerKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}
