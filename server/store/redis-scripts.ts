// The Lua scripts of the Redis store. Each runs atomically in Redis: nothing else happens
// between its commands, and with AOF a script is logged as one transaction.

/**
 * Dedup and log in one step. KEYS[1] = the stream, KEYS[2..n+1] = the events' seen keys;
 * ARGV[1] = dedup TTL (s), ARGV[2] = the stream's approximate length cap, ARGV[3] = the origin
 * (instance:commit), ARGV[4..n+3] = each event's JSON. Marks every id seen (SET NX EX) and
 * appends the new events as one entry. Returns {entry id or '', {1-based indexes of new events}}.
 */
export const COMMIT_LUA = `
local fresh = {}
local parts = {}
for i = 2, #KEYS do
  if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[1]) then
    fresh[#fresh + 1] = i - 1
    parts[#parts + 1] = ARGV[i + 2]
  end
end
if #parts == 0 then return {'', fresh} end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'o', ARGV[3], 'e', '[' .. table.concat(parts, ',') .. ']')
return {id, fresh}
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
