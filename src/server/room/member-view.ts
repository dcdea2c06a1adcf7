import { replies } from '../../protocol/index.js';

/** One member of a shared room as every process knows it, wherever it is connected. */
export interface ViewedMember {
  readonly id: string;
  readonly addr: string;
  name: string;
  /** The process it is connected to. */
  readonly process: string;
  /** Where its first join sits in the room's stream: the join order, kept across restores. */
  readonly order: string;
}

/**
 * This process's copy of who is in a shared room, in join order, kept up to date from the room's stream.
 * Every process applies the same stream in the same order, so every copy agrees, and `who` is answered
 * here without asking anyone.
 */
export class MemberView {
  private readonly members = new Map<string, ViewedMember>();
  /** Who waits for a member to leave, by its id. */
  private readonly departures = new Map<string, Set<(left: boolean) => void>>();
  private inOrder = true;
  private lastOrder = '0-0';
  private whoReply: Buffer | undefined;

  get(id: string): ViewedMember | undefined {
    return this.members.get(id);
  }

  /** Adds a member; false when it is already here. */
  add(member: ViewedMember): boolean {
    if (this.members.has(member.id)) return false;
    if (compareStreamIds(member.order, this.lastOrder) < 0) this.inOrder = false;
    else this.lastOrder = member.order;
    this.members.set(member.id, member);
    this.whoReply = undefined;
    return true;
  }

  remove(id: string): ViewedMember | undefined {
    const member = this.members.get(id);
    if (member) {
      this.members.delete(id);
      this.whoReply = undefined;
    }
    for (const done of this.departures.get(id) ?? []) done(true);
    return member;
  }

  /** Resolves true once the member `id` is no longer here (at once if it is not), false after `ms`. */
  whenGone(id: string, ms: number): Promise<boolean> {
    if (!this.members.has(id)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiting = this.departures.get(id) ?? new Set();
      this.departures.set(id, waiting);
      const done = (left: boolean) => {
        clearTimeout(timer);
        waiting.delete(done);
        if (waiting.size === 0 && this.departures.get(id) === waiting) this.departures.delete(id);
        resolve(left);
      };
      const timer = setTimeout(() => done(false), Math.max(0, ms)).unref();
      waiting.add(done);
    });
  }

  rename(id: string, name: string): void {
    const member = this.members.get(id);
    if (!member || member.name === name) return;
    member.name = name;
    this.whoReply = undefined;
  }

  /** The processes that have members here, for the lease check. */
  processes(): Set<string> {
    return new Set(Array.from(this.members.values(), (member) => member.process));
  }

  ofProcess(process: string): ViewedMember[] {
    return [...this.members.values()].filter((member) => member.process === process);
  }

  /** The reply to `who`, built once per change. */
  who(): Buffer {
    if (this.whoReply) return this.whoReply;
    if (!this.inOrder) {
      const sorted = [...this.members.values()].sort((a, b) => compareStreamIds(a.order, b.order));
      this.members.clear();
      for (const member of sorted) this.members.set(member.id, member);
      this.inOrder = true;
    }
    this.whoReply = Buffer.from(
      Array.from(this.members.values(), (member) => replies.listed(member.addr, member.name)).join(''),
    );
    return this.whoReply;
  }
}

/** Orders Redis stream IDs (`<ms>-<n>`). */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}
