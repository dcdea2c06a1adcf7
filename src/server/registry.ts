import { BroadcastRound } from './broadcast-round.js';

/** One online user as the room sees it: where it connects from, what it is called, how to reach it alone. */
export interface Member {
  readonly addr: string;
  name: string;
  /** Queues bytes for this member only, after any broadcast lines it is owed; never blocks or throws. */
  deliver(bytes: Buffer): void;
}

/**
 * Who is online and how a line reaches all of them. The chat logic talks only to this interface, so a room
 * shared by several server processes can stand in for the in-process one.
 */
export interface Room {
  readonly size: number;
  add(member: Member): void;
  remove(member: Member): void;
  /** Renames in one step; false (and nothing changes) when the name is taken, the member's own included. */
  rename(member: Member, newName: string): boolean;
  findByName(name: string): Member | undefined;
  /** Online members in join order. */
  members(): Iterable<Member>;
  /**
   * Queues one line for every member, encoded once: it joins the current round, which the server's flush
   * writes to everyone (see FlushScheduler). A member that comes online later in the round does not get it.
   */
  broadcast(line: string): void;
  /** Called after each broadcast. */
  onBroadcast(listener: () => void): void;
  /** Broadcast lines of the current round that `member` has not been given; they count as given now. */
  takeUnsent(member: Member): Buffer[];
  unsentBytes(member: Member): number;
  /** Hands over the current round, for the flush, and starts an empty one. */
  endRound(): BroadcastRound;
}

export class LocalRoom implements Room {
  private readonly byJoinOrder = new Set<Member>();
  private readonly byName = new Map<string, Member>();
  private round = new BroadcastRound();
  private broadcastListener: (() => void) | undefined;

  get size(): number {
    return this.byJoinOrder.size;
  }

  add(member: Member): void {
    this.byJoinOrder.add(member);
    this.byName.set(member.name, member);
    this.round.skipFor(member);
  }

  remove(member: Member): void {
    if (!this.byJoinOrder.delete(member)) return;
    this.round.forget(member);
    if (this.byName.get(member.name) === member) this.byName.delete(member.name);
  }

  rename(member: Member, newName: string): boolean {
    if (this.byName.has(newName)) return false;
    if (this.byName.get(member.name) === member) this.byName.delete(member.name);
    member.name = newName;
    this.byName.set(newName, member);
    return true;
  }

  findByName(name: string): Member | undefined {
    return this.byName.get(name);
  }

  members(): Iterable<Member> {
    return this.byJoinOrder;
  }

  broadcast(line: string): void {
    this.round.append(Buffer.from(line));
    this.broadcastListener?.();
  }

  onBroadcast(listener: () => void): void {
    this.broadcastListener = listener;
  }

  takeUnsent(member: Member): Buffer[] {
    return this.byJoinOrder.has(member) ? this.round.takeLines(member) : [];
  }

  unsentBytes(member: Member): number {
    return this.byJoinOrder.has(member) ? this.round.unsentBytes(member) : 0;
  }

  endRound(): BroadcastRound {
    const ended = this.round;
    this.round = new BroadcastRound();
    return ended;
  }
}
