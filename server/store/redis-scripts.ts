// The Lua scripts of the Redis store. Each runs atomically in Redis: nothing else happens
// between its commands, and with AOF a script is logged as one transaction.

/**
 * Dedup and log in one step. KEYS[1] = the stream, KEYS[2] = the generation marker, KEYS[3..n+2] =
 * the events' seen keys, in the batch's order; ARGV[1] = dedup TTL (s), ARGV[2] = the stream's
 * approximate length cap, ARGV[3] = the origin (instance:commit), ARGV[4] = the generation this
 * instance knows, ARGV[5] = the body's format ('json' or 'ndjson'), ARGV[6] = the batch's body as
 * it arrived (its events exactly, in order). Refuses, writing nothing, when the marker is not the
 * one the instance knows (Redis lost its data and was not re-seeded yet). Marks every id seen
 * (SET NX EX) and, unless every event is a duplicate, appends one entry: `o` the origin, `f` the
 * format (only when not 'json'), `d` the duplicates' 1-based indexes comma-joined (only when
 * there are some), `e` the body. The body goes in untouched rather than cut down to the new
 * events: Redis copies one string instead of joining hundreds, and the instance that took the
 * batch need not encode its events again. Returns {entry id or '', {1-based indexes of the
 * duplicates}, the marker's count}.
 */
export const COMMIT_LUA = `
if redis.call('HGET', KEYS[2], 'id') ~= ARGV[4] then
  return redis.error_reply('WFGENERATION the store lost or rolled back data and is being re-seeded')
end
local duplicates = {}
for i = 3, #KEYS do
  if not redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[1]) then duplicates[#duplicates + 1] = i - 2 end
end
if #duplicates == #KEYS - 2 then return {'', duplicates, 0} end
local fields = {'o', ARGV[3]}
if ARGV[5] ~= 'json' then
  fields[#fields + 1] = 'f'
  fields[#fields + 1] = ARGV[5]
end
if #duplicates > 0 then
  fields[#fields + 1] = 'd'
  fields[#fields + 1] = table.concat(duplicates, ',')
end
fields[#fields + 1] = 'e'
fields[#fields + 1] = ARGV[6]
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
return {id, duplicates, n}
`;

/**
 * The generation marker (a hash: `id`, a random id; `n`, commits counted; `s`, re-seeds done),
 * created when missing. KEYS[1] = the marker; ARGV[1] = a new id. Returns {id, n, s}.
 */
export const ESTABLISH_GENERATION_LUA = `
redis.call('HSETNX', KEYS[1], 'id', ARGV[1])
local g = redis.call('HMGET', KEYS[1], 'id', 'n', 's')
return {g[1], tonumber(g[2] or '0'), tonumber(g[3] or '0')}
`;

/**
 * An instance re-seeded Redis after a loss; records it, unless the marker moved meanwhile.
 * KEYS[1] = the marker; ARGV[1] = what was found ('changed': another instance set a new marker,
 * which stays; anything else: the marker vanished or went back, and a new one is set), ARGV[2] =
 * the marker's id as found ('' when missing), ARGV[3] = the new id, ARGV[4] = the highest count
 * this instance has seen (the marker's count is raised to it). Returns {1, id, n, s} when recorded, {0, current id} when the marker is
 * no longer the one found (the caller re-seeds again for that one).
 */
export const RESEEDED_LUA = `
local current = redis.call('HGET', KEYS[1], 'id') or ''
if current ~= ARGV[2] then return {0, current} end
-- The count never goes below what the instance saw, or it would take its own re-seed for a loss.
local n = math.max(tonumber(redis.call('HGET', KEYS[1], 'n') or '0'), tonumber(ARGV[4]))
redis.call('HSET', KEYS[1], 'n', n)
if ARGV[1] ~= 'changed' then redis.call('HSET', KEYS[1], 'id', ARGV[3]) end
local s = redis.call('HINCRBY', KEYS[1], 's', 1)
local g = redis.call('HMGET', KEYS[1], 'id', 'n')
return {1, g[1], tonumber(g[2] or '0'), s}
`;

/**
 * Newest wins, per field. KEYS[1] = the hash of JSON values, KEYS[2] = the hash of their
 * versions (ms); ARGV = triples of field, version, JSON. A value is written only when its version
 * is at least the stored one: instances checkpoint their own replicas in any order, and an older
 * copy of a ticket must never replace a newer one. Returns how many were written.
 */
export const PUT_NEWEST_LUA = `
local written = 0
for i = 1, #ARGV, 3 do
  local current = redis.call('HGET', KEYS[2], ARGV[i])
  if not current or tonumber(current) <= tonumber(ARGV[i + 1]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
    written = written + 1
  end
end
return written
`;

/**
 * Moves the checkpoint forward, never back. KEYS[1] = the checkpoint key, KEYS[2] = the stream;
 * ARGV[1] = the stream id up to which the hashes now hold every change, ARGV[2] = how long (ms)
 * entries are kept behind the checkpoint for instances that read late. Returns 1 when it moved.
 */
export const ADVANCE_CHECKPOINT_LUA = `
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local current = redis.call('GET', KEYS[1])
local moved = 0
local nm, ns = parse(ARGV[1])
if current then
  local cm, cs = parse(current)
  if nm > cm or (nm == cm and ns > cs) then moved = 1 end
else
  moved = 1
end
if moved == 1 then
  redis.call('SET', KEYS[1], ARGV[1])
  current = ARGV[1]
end
local keepBefore = parse(current) - tonumber(ARGV[2])
if keepBefore > 0 then
  redis.call('XTRIM', KEYS[2], 'MINID', '~', string.format('%.0f', keepBefore))
end
return moved
`;

/** KEYS[1] = a lease; ARGV[1] = the holder's token. Gives the lease up only if that holder has it. */
export const RELEASE_LEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
