/**
 * Who is online, as the client knows it: users by addr, in the order they joined. The one picture of the
 * room the client keeps; the reducer changes it, the screen and the key handler read it. Pure values.
 */
export interface User {
  readonly addr: string;
  readonly name: string;
}

export type Room = readonly User[];

export const emptyRoom: Room = [];

export function userAt(room: Room, addr: string | undefined): User | undefined {
  const at = addr === undefined ? undefined : positions(room, byAddr, 'addr').get(addr);
  return at === undefined ? undefined : room[at];
}

export function userNamed(room: Room, name: string): User | undefined {
  const at = positions(room, byName, 'name').get(name);
  return at === undefined ? undefined : room[at];
}

// Every line looks its sender up, and a room changes far less often than lines arrive (an SSH server draws
// hundreds of screens, each with its own room): each room value gets its indexes once, on first use.
const byAddr = new WeakMap<Room, Map<string, number>>();
const byName = new WeakMap<Room, Map<string, number>>();

/** Where each addr (or name) first appears in `room`. */
function positions(room: Room, cache: WeakMap<Room, Map<string, number>>, key: keyof User): Map<string, number> {
  let index = cache.get(room);
  if (index === undefined) {
    index = new Map();
    for (const [at, user] of room.entries()) if (!index.has(user[key])) index.set(user[key], at);
    cache.set(room, index);
  }
  return index;
}

/**
 * A line from `addr` under `name`: adds the user, or follows their current name. The protocol does not
 * announce renames, so a known addr under a new name is the only way we learn of one; `renamedFrom` says
 * which name it had.
 */
export function seen(room: Room, user: User): { room: Room; renamedFrom?: string } {
  const index = positions(room, byAddr, 'addr').get(user.addr) ?? -1;
  if (index !== -1 && room[index]!.name === user.name) return { room };
  const clean = { addr: user.addr, name: user.name };
  if (index === -1) return { room: [...room, clean] };
  return { room: room.map((known, at) => (at === index ? clean : known)), renamedFrom: room[index]!.name };
}

export function without(room: Room, addr: string): Room {
  return positions(room, byAddr, 'addr').has(addr) ? room.filter((user) => user.addr !== addr) : room;
}
