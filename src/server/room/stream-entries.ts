/** One entry of a shared room's stream (the fields are described in redis-scripts.ts). */
export interface StreamEntry {
  readonly id: string;
  /** `k`: what happened. */
  readonly kind: string;
  /** `p` and `s`: the process that wrote it and its sequence number there. */
  readonly process?: string;
  readonly seq?: number;
  /** `m`, `a`, `n`, `o`: a member's id, addr, name and join order. */
  readonly member?: string;
  readonly addr?: string;
  readonly name?: string;
  readonly order?: string;
  /** `b`: the bytes of one or more whole lines, as they came. */
  readonly bytes?: Buffer;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const K = 0x6b;
const P = 0x70;
const S = 0x73;
const M = 0x6d;
const A = 0x61;
const N = 0x6e;
const O = 0x6f;
const B = 0x62;

/**
 * The entries of an XREAD reply of one stream, read with its bulk strings as Buffers: a line's bytes go on to
 * the members as they came, without a round trip through a JavaScript string, and each field is picked by
 * its one-letter name without building an object of every field first.
 */
export function streamEntries(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const entries = (reply[0] as [Buffer, Array<[Buffer, Buffer[]]>])[1];
  return entries.map(([id, fields]) => {
    // Every field set up front, in one order: one shape for every entry.
    const entry: Mutable<StreamEntry> = {
      id: id.toString('latin1'),
      kind: '',
      process: undefined,
      seq: undefined,
      member: undefined,
      addr: undefined,
      name: undefined,
      order: undefined,
      bytes: undefined,
    };
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const field = fields[i]!;
      const value = fields[i + 1]!;
      if (field.length !== 1) continue;
      switch (field[0]) {
        case K:
          entry.kind = value.toString('latin1');
          break;
        case P:
          entry.process = value.toString('latin1');
          break;
        case S:
          entry.seq = Number(value.toString('latin1'));
          break;
        case M:
          entry.member = value.toString();
          break;
        case A:
          entry.addr = value.toString();
          break;
        case N:
          entry.name = value.toString();
          break;
        case O:
          entry.order = value.toString('latin1');
          break;
        case B:
          entry.bytes = value;
          break;
      }
    }
    return entry;
  });
}
