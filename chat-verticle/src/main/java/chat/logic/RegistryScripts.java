package chat.logic;

/**
 * The Lua scripts of {@link ClusterLink}'s presence registry: each runs atomically in Redis, so a
 * claim, a release or a page of a reap never interleaves with another node's.
 */
final class RegistryScripts {
  private RegistryScripts() {}

  /**
   * Sets the user's location unless another live node holds it, and lists the user under this
   * boot (ARGV[4] set, member ARGV[5]) so a reaper finds them if this node dies. 1 = claimed.
   */
  static final String CLAIM =
      "local cur = redis.call('GET', KEYS[1]) "
          + "if cur and cur ~= ARGV[2] then "
          + "  local boot = string.match(cur, '^([^|]+)|') "
          + "  if boot and boot ~= ARGV[1] and redis.call('EXISTS', ARGV[3] .. boot) == 1 then return 0 end "
          + "end "
          + "redis.call('SET', KEYS[1], ARGV[2]) redis.call('SADD', ARGV[4], ARGV[5]) return 1";

  /**
   * Deletes the user's location only if it is still this session's, and then unlists the user
   * from this boot. A location that moved on keeps its listing: a reaper compares before it clears.
   */
  static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SREM', ARGV[2], ARGV[3]) "
          + "return redis.call('DEL', KEYS[1]) end return 0";

  /** Takes the reap claim (SET NX with expiry), or extends it when this boot already holds it. 1 = held. */
  static final String REAP_CLAIM =
      "local cur = redis.call('GET', KEYS[1]) "
          + "if not cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end "
          + "if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end "
          + "return 0";

  /**
   * One page of a dead boot's users (KEYS[1] its user set, ARGV[1] the boot, ARGV[2] the page,
   * ARGV[3] the user key prefix, ARGV[4] the boot list). Each popped user's location is deleted
   * only if it still points at the dead boot: a user who logged in again elsewhere keeps theirs.
   * Atomic, so a reaper that dies mid-run loses at most the pushes, never a user still listed.
   * Returns {users left, cleared ids...}; the boot leaves the list when none are left.
   */
  static final String REAP_PAGE =
      "local ids = redis.call('SPOP', KEYS[1], ARGV[2]) "
          + "local out = {0} "
          + "local prefix = ARGV[1] .. '|' "
          + "for _, id in ipairs(ids) do "
          + "  local k = ARGV[3] .. id "
          + "  local v = redis.call('GET', k) "
          + "  if v and string.sub(v, 1, #prefix) == prefix then redis.call('DEL', k) table.insert(out, id) end "
          + "end "
          + "local left = redis.call('SCARD', KEYS[1]) "
          + "if left == 0 then redis.call('SREM', ARGV[4], ARGV[1]) end "
          + "out[1] = left return out";
}
