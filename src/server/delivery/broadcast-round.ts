/**
 * The lines broadcast since the last flush, kept once for everyone online. Each line used to be queued on
 * every connection; now a broadcast is one append, and at the flush every member that was online for the
 * whole round writes the same bytes: one shared buffer, sliced, never copied per connection.
 */
export class BroadcastRound {
  private readonly lines: Buffer[] = [];
  /** Where each line starts within the round, in bytes. */
  private readonly starts: number[] = [];
  private bytes = 0;
  private joined: Buffer | undefined;
  /** Members that already hold the first N lines: those who joined mid-round, or took lines early. */
  private readonly given = new Map<object, number>();

  append(line: Buffer): void {
    this.starts.push(this.bytes);
    this.lines.push(line);
    this.bytes += line.length;
    this.joined = undefined;
  }

  /** A member that comes online now: it is owed nothing broadcast before it. */
  skipFor(member: object): void {
    if (this.lines.length > 0) this.given.set(member, this.lines.length);
    else this.given.delete(member);
  }

  /** A member that is not in the room yet: it is owed none of this round's lines, however many come. */
  withhold(member: object): void {
    this.given.set(member, Number.POSITIVE_INFINITY);
  }

  forget(member: object): void {
    this.given.delete(member);
  }

  /** Bytes broadcast this round that `member` has not been given. */
  unsentBytes(member: object): number {
    const from = this.given.get(member) ?? 0;
    return from < this.lines.length ? this.bytes - this.starts[from]! : 0;
  }

  /** The lines `member` has not been given, one by one (no copy), now marked as given. */
  takeLines(member: object): Buffer[] {
    const from = this.given.get(member) ?? 0;
    if (from >= this.lines.length) return [];
    this.given.set(member, this.lines.length);
    return this.lines.slice(from);
  }

  /** The lines `member` has not been given as one buffer, shared with every member owed the same. */
  take(member: object): Buffer | undefined {
    const from = this.given.get(member) ?? 0;
    if (from >= this.lines.length) return undefined;
    this.given.set(member, this.lines.length);
    this.joined ??= this.lines.length === 1 ? this.lines[0]! : Buffer.concat(this.lines, this.bytes);
    return from === 0 ? this.joined : this.joined.subarray(this.starts[from]);
  }
}
