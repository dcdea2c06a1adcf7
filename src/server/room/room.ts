/** A result now, or later when the room has to ask someone else (another process) first. */
export type Awaitable<T> = T | Promise<T>;

/** One online user as the room sees it: where it connects from, what it is called, how to reach it alone. */
export interface Member {
  readonly addr: string;
  /** The addr until the member renames; only the room changes it. */
  name: string;
  /**
   * The fingerprint of the SSH key the member signed in with, if it did (never for TCP, nor for SSH users
   * without a key): whoever proves the same key may take its name over (see Room.join). Never shown.
   */
  readonly fingerprint?: string;
  /** Queues bytes for this member only, after any broadcast lines it is owed; never blocks or throws. */
  deliver(bytes: Buffer): void;
  /**
   * Closes the member because the same user signed in again on another connection: it is told so and
   * leaves the room (Room.leave) before this returns.
   */
  evict(): void;
}

/**
 * Who is online and how a line reaches them. The chat commands talk only to this interface, so a room
 * shared by several server processes can stand in for the in-process one.
 */
export interface Room {
  /**
   * Adds the member; everyone online, the newcomer included, sees it come online. Given `wanted`, it joins
   * under that name or, when it is taken or not valid, the first free one of namesFor(wanted), chosen in
   * the same step. A shared room answers once the member is in; the session reads nothing from it before.
   *
   * A member with a fingerprint takes `wanted` over from a member that holds exactly that name and has the
   * same fingerprint, most likely the ghost of its own connection that died without a word: that one is
   * evicted, and seen to go offline, first. A shared room has the process holding it evict it, and waits
   * for the name to free (2 s at most) before it chooses.
   */
  join(member: Member, wanted?: string): Awaitable<void>;
  /**
   * Takes the member out; everyone left sees it go offline, unless `quietly`: a server shutting down, whose
   * own members need not hear it (a shared room still tells the other processes' members).
   */
  leave(member: Member, quietly?: boolean): void;
  /**
   * Renames in one step; false (and nothing changes) when the name is taken, the member's own included.
   * Names are compared by nameKey(): every spelling that looks like a name is that name.
   */
  rename(member: Member, newName: string): Awaitable<boolean>;
  /** Whether someone is called `name` (compared by nameKey()). */
  has(name: string): Awaitable<boolean>;
  /** Queues `line` for the member called `name` (compared by nameKey()) alone; false when nobody is. */
  whisper(name: string, line: string): Awaitable<boolean>;
  /**
   * The reply to `who`: every member in join order. Built once per change of who is online and shared by
   * every request until the next change, so asking costs what the reply weighs on the wire, nothing more.
   */
  who(): Buffer;
  /**
   * Sends one line to every member; it is encoded once, not once per recipient. A shared room answers once
   * the line has its place in the one order every process delivers in, so the sender's next line (a `who`,
   * say) is answered after it, as in one process.
   */
  broadcast(line: string): Awaitable<void>;
}
