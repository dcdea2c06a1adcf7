import { luaScript } from './redis-connection.js';

/**
 * The Redis side of a shared room. Every change of who is in it is one script that updates the state and
 * appends its event to the stream in one step, so the state and the stream never disagree, and a process
 * that loads the state starts reading the stream exactly where that state was taken.
 *
 * Stream entries: `k` kind, `p` process and `s` sequence of the process that wrote it (for its echo and
 * for dropping a retried duplicate), then by kind:
 *   l  public lines      b bytes of one or more whole lines (those a process read in one go, in order)
 *   w  private line      m recipient's member id, b bytes
 *   j  join (or restore) m, a addr, n name, o join order when restored (else the entry's own id)
 *   q  leave             m, a, n
 *   r  rename            m, n
 *   e  evict             m: the process it is on closes it (the same key signed in elsewhere), and it leaves
 * Member records (hash `members`): JSON {p process, a addr, n name, k name key, o join order, f fingerprint
 * of the SSH key it signed in with, if any}.
 */
export interface RoomKeys {
  stream: string;
  members: string;
  names: string;
  epoch: string;
  lease(process: string): string;
  /** The ids of a process's members, for finding them when it dies. */
  processMembers(process: string): string;
}

export function roomKeys(prefix: string): RoomKeys {
  return {
    stream: `${prefix}:stream`,
    members: `${prefix}:members`,
    names: `${prefix}:names`,
    epoch: `${prefix}:epoch`,
    lease: (process) => `${prefix}:lease:${process}`,
    processMembers: (process) => `${prefix}:process:${process}`,
  };
}

/**
 * KEYS members, names, process members, stream. ARGV id, addr, name, addr key, name key, process, seq,
 * order ('' for a newcomer), maxlen, fingerprint ('' for none), then names it asked for with their keys:
 * it joins under the first free one. A restored member whose name was taken meanwhile keeps its addr.
 * Returns the name it joined with.
 */
export const JOIN = luaScript(`
local id, addr, name, order = ARGV[1], ARGV[2], ARGV[3], ARGV[8]
local key = ARGV[5]
local fingerprint = ARGV[10]
if fingerprint == '' then fingerprint = nil end
if key ~= ARGV[4] then
  local holder = redis.call('HGET', KEYS[2], key)
  if holder and holder ~= id then name = addr; key = ARGV[4] end
end
for i = 11, #ARGV, 2 do
  local holder = redis.call('HGET', KEYS[2], ARGV[i + 1])
  if not holder or holder == id then name = ARGV[i]; key = ARGV[i + 1]; break end
end
redis.call('HSET', KEYS[2], key, id)
local fields = {'k', 'j', 'p', ARGV[6], 's', ARGV[7], 'm', id, 'a', addr, 'n', name}
if order ~= '' then fields[#fields + 1] = 'o'; fields[#fields + 1] = order end
local entry = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[9], '*', unpack(fields))
if order == '' then order = entry end
redis.call('HSET', KEYS[1], id, cjson.encode({p = ARGV[6], a = addr, n = name, k = key, o = order, f = fingerprint}))
redis.call('SADD', KEYS[3], id)
return name
`);

/** KEYS members, names, process members, stream. ARGV id, addr, name, name key, process, seq, maxlen. */
export const LEAVE = luaScript(`
local id, addr, name, key = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local record = redis.call('HGET', KEYS[1], id)
if record then
  local r = cjson.decode(record)
  addr = r.a; name = r.n; key = r.k
  redis.call('HDEL', KEYS[1], id)
end
if redis.call('HGET', KEYS[2], key) == id then redis.call('HDEL', KEYS[2], key) end
redis.call('SREM', KEYS[3], id)
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[7], '*', 'k', 'q', 'p', ARGV[5], 's', ARGV[6], 'm', id, 'a', addr, 'n', name)
return 1
`);

/**
 * KEYS members, names, stream. ARGV id, new name, new name key, process, seq, maxlen. Returns 0, changing
 * nothing, when the name is held by anyone (the renamer included), 1 when renamed. Atomic: of many
 * processes renaming to one name at once, exactly one wins.
 */
export const RENAME = luaScript(`
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then return 0 end
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record then return 0 end
local r = cjson.decode(record)
if redis.call('HGET', KEYS[2], r.k) == ARGV[1] then redis.call('HDEL', KEYS[2], r.k) end
r.n = ARGV[2]; r.k = ARGV[3]
redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(r))
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'k', 'r', 'p', ARGV[4], 's', ARGV[5], 'm', ARGV[1], 'n', ARGV[2])
return 1
`);

/**
 * KEYS members, names, stream. ARGV name key, name, fingerprint, process, seq, maxlen. When the member that
 * holds the name is called exactly `name` and signed in with the key of `fingerprint`, asks its process to
 * evict it and returns its id; else returns 0 and asks nothing.
 */
export const EVICT = luaScript(`
local id = redis.call('HGET', KEYS[2], ARGV[1])
if not id then return 0 end
local record = redis.call('HGET', KEYS[1], id)
if not record then return 0 end
local r = cjson.decode(record)
if r.n ~= ARGV[2] or r.f ~= ARGV[3] then return 0 end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'k', 'e', 'p', ARGV[4], 's', ARGV[5], 'm', id)
return id
`);

/** KEYS names, stream. ARGV name key, line, process, seq, maxlen. Returns 0 when nobody has the name. */
export const WHISPER = luaScript(`
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'k', 'w', 'p', ARGV[3], 's', ARGV[4], 'm', id, 'b', ARGV[2])
return 1
`);

/**
 * A process whose lease is gone: its members leave. KEYS members, names, stream, its lease, its members.
 * ARGV its process id, maxlen, then id, addr, name of each member the caller knows of (after a Redis
 * restart only the survivors' copies know them). Returns -1 when the lease is back, else how many left.
 */
export const REAP = luaScript(`
if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
local done, count = {}, 0
local function drop(id, addr, name)
  if done[id] then return end
  done[id] = true
  local record = redis.call('HGET', KEYS[1], id)
  if record then
    local r = cjson.decode(record)
    if r.p ~= ARGV[1] then return end
    addr = r.a; name = r.n
    if redis.call('HGET', KEYS[2], r.k) == id then redis.call('HDEL', KEYS[2], r.k) end
    redis.call('HDEL', KEYS[1], id)
  end
  if not addr then return end
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'k', 'q', 'm', id, 'a', addr, 'n', name)
  count = count + 1
end
for _, id in ipairs(redis.call('SMEMBERS', KEYS[5])) do drop(id, false, false) end
for i = 3, #ARGV, 3 do drop(ARGV[i], ARGV[i + 1], ARGV[i + 2]) end
redis.call('DEL', KEYS[5])
return count
`);

/**
 * This Redis's epoch (set once, by whoever comes first): a new one means Redis restarted empty.
 * KEYS epoch. ARGV a fresh candidate.
 */
export const EPOCH = luaScript(`
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
`);

/** KEYS epoch, members, stream. ARGV a fresh epoch candidate. Returns {epoch, last stream id, members}. */
export const SNAPSHOT = luaScript(`
redis.call('SET', KEYS[1], ARGV[1], 'NX')
local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
local id = '0-0'
if last[1] then id = last[1][1] end
return {redis.call('GET', KEYS[1]), id, redis.call('HGETALL', KEYS[2])}
`);
