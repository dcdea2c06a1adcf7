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
  return addr === undefined ? undefined : room.find((user) => user.addr === addr);
}

export function userNamed(room: Room, name: string): User | undefined {
  return room.find((user) => user.name === name);
}

/**
 * A line from `addr` under `name`: adds the user, or follows their current name. The protocol does not
 * announce renames, so a known addr under a new name is the only way we learn of one; `renamedFrom` says
 * which name it had.
 */
export function seen(room: Room, user: User): { room: Room; renamedFrom?: string } {
  const index = room.findIndex((known) => known.addr === user.addr);
  const clean = { addr: user.addr, name: user.name };
  if (index === -1) return { room: [...room, clean] };
  const old = room[index]!;
  if (old.name === user.name) return { room };
  return { room: room.map((known, at) => (at === index ? clean : known)), renamedFrom: old.name };
}

export function without(room: Room, addr: string): Room {
  return room.some((user) => user.addr === addr) ? room.filter((user) => user.addr !== addr) : room;
}
