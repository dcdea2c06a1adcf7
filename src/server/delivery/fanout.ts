import { BroadcastRound } from './broadcast-round.js';

/**
 * Where broadcast lines wait for the next flush: one round shared by everyone online, so a broadcast is one
 * append however many are listening. The room says who joins and leaves; the flush takes whole rounds; a
 * connection that is sent a line of its own first takes the broadcast lines it is owed, so its order holds.
 */
export class Fanout {
  private round = new BroadcastRound();
  private listener: (() => void) | undefined;
  /** Members connected but not in the room yet: they are owed nothing until joined(). */
  private readonly awaitingJoin = new Set<object>();

  /** `lines`: one line, or the bytes of several whole lines that go out together. */
  publish(lines: string | Buffer): void {
    this.round.append(typeof lines === 'string' ? Buffer.from(lines) : lines);
    this.listener?.();
  }

  /** Called after each publish. */
  onPublish(listener: () => void): void {
    this.listener = listener;
  }

  /**
   * A member connected but not in the room yet (a shared room admits it once every process has heard of
   * it): it is owed no line, in this round or the next, until joined().
   */
  arriving(member: object): void {
    this.awaitingJoin.add(member);
    this.round.withhold(member);
  }

  /** A member that comes online now is owed nothing published before it. */
  joined(member: object): void {
    this.awaitingJoin.delete(member);
    this.round.skipFor(member);
  }

  left(member: object): void {
    this.awaitingJoin.delete(member);
    this.round.forget(member);
  }

  /** Lines of the current round that `member` has not been given; they count as given now. */
  takeUnsent(member: object): Buffer[] {
    return this.round.takeLines(member);
  }

  unsentBytes(member: object): number {
    return this.round.unsentBytes(member);
  }

  /** Hands over the current round, for the flush, and starts an empty one. */
  endRound(): BroadcastRound {
    const ended = this.round;
    this.round = new BroadcastRound();
    for (const member of this.awaitingJoin) this.round.withhold(member);
    return ended;
  }
}
