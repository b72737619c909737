package dev.heddle.examples.iot.wire;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The platform's state in Redis, and the only code that writes it. Every change is one Lua script,
 * so it is atomic, lands in the append-only file before Redis replies, and publishes what it
 * changed in the same step:
 *
 * <ul>
 *   <li>{@code dev:<id>} (hash): {@code owner}, {@code type}, {@code version} (of the target),
 *       {@code target} and {@code state} (JSON texts);
 *   <li>{@code user:<user>} (set): the user's device ids;
 *   <li>channel {@code cmd:<type>}: {@code {"device","version","target"}} for the device service of
 *       that type;
 *   <li>channel {@code updates}: {@code {"user","kind":"target"|"state","device":VIEW}} for the API
 *       workers (who push it to that user's connections) and the statistics service.
 * </ul>
 *
 * <p>A VIEW is {@code {"id","type","version","target","state"}}. JSON passed in is always
 * re-serialized by Jackson first, and ids match {@link #ID}, so the scripts can splice them.
 */
public final class Store {
  /** What a device id may be. */
  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

  private static final String VIEW =
      """
      local function view(key, id)
        local h = redis.call('HMGET', key, 'type', 'version', 'target', 'state')
        return '{"id":"' .. id .. '","type":"' .. (h[1] or '?') .. '","version":' .. (h[2] or '0')
          .. ',"target":' .. (h[3] or 'null') .. ',"state":' .. (h[4] or 'null') .. '}'
      end
      """;

  private static final String SET =
      VIEW
          + """
          local key, id, user, target = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
          if redis.call('HGET', key, 'owner') ~= user then return -1 end
          local v = redis.call('HINCRBY', key, 'version', 1)
          redis.call('HSET', key, 'target', target)
          local t = redis.call('HGET', key, 'type')
          redis.call('PUBLISH', 'cmd:' .. t,
            '{"device":"' .. id .. '","version":' .. v .. ',"target":' .. target .. '}')
          redis.call('PUBLISH', 'updates',
            '{"user":"' .. user .. '","kind":"target","device":' .. view(key, id) .. '}')
          return v
          """;

  private static final String STATE =
      VIEW
          + """
          local key, id, state = KEYS[1], ARGV[1], ARGV[2]
          local owner = redis.call('HGET', key, 'owner')
          if not owner then return 0 end
          redis.call('HSET', key, 'state', state)
          redis.call('PUBLISH', 'updates',
            '{"user":"' .. owner .. '","kind":"state","device":' .. view(key, id) .. '}')
          return 1
          """;

  private static final String LIST =
      VIEW
          + """
          local ids = redis.call('SMEMBERS', KEYS[1])
          table.sort(ids)
          local out = {}
          for i, id in ipairs(ids) do out[i] = view('dev:' .. id, id) end
          return '[' .. table.concat(out, ',') .. ']'
          """;

  private static final String REGISTER =
      """
      local key, id, owner, type = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
      local o = redis.call('HGET', key, 'owner')
      if o and o ~= owner then return redis.error_reply('device ' .. id .. ' belongs to ' .. o) end
      redis.call('HSET', key, 'owner', owner, 'type', type)
      redis.call('SADD', 'user:' .. owner, id)
      local h = redis.call('HMGET', key, 'version', 'target')
      return {h[1] or '0', h[2] or ''}
      """;

  private static final String DESIRED =
      """
      local h = redis.call('HMGET', KEYS[1], 'version', 'target')
      return {h[1] or '0', h[2] or ''}
      """;

  private final Redis redis;

  public Store(Redis redis) {
    this.redis = redis;
  }

  /** A device's owner and type, or null when there is no such device. */
  public @Nullable List<@Nullable Object> ownerAndType(String id) throws IOException {
    if (redis.call("HMGET", "dev:" + id, "owner", "type") instanceof List<?> l
        && l.size() == 2
        && l.get(0) != null) {
      return List.of(Objects.requireNonNull(l.get(0)), Objects.requireNonNull(l.get(1)));
    }
    return null;
  }

  /**
   * Records {@code target} (JSON) as device {@code id}'s desired state if {@code user} owns it, and
   * publishes it; returns its new version, or -1 when the device is not the user's (or unknown). A
   * version returned means Redis has applied and logged it.
   */
  public long setTarget(String user, String id, String targetJson) throws IOException {
    Object v = redis.call("EVAL", SET, "1", "dev:" + id, id, user, targetJson);
    return v instanceof Long l ? l : -1;
  }

  /** Records a device's reported state (JSON) and publishes it; false for an unknown device. */
  public boolean reportState(String id, String stateJson) throws IOException {
    return redis.call("EVAL", STATE, "1", "dev:" + id, id, stateJson) instanceof Long l && l == 1;
  }

  /** The user's devices as a JSON array of views, sorted by id. */
  public String list(String user) throws IOException {
    return String.valueOf(redis.call("EVAL", LIST, "1", "user:" + user));
  }

  /**
   * Registers device {@code id} of {@code type} as {@code owner}'s (idempotent) and returns its
   * desired state.
   */
  public Desired register(String id, String owner, String type) throws IOException {
    return desired(redis.call("EVAL", REGISTER, "1", "dev:" + id, id, owner, type));
  }

  /** A device's desired state (version 0: none set yet). */
  public Desired desired(String id) throws IOException {
    return desired(redis.call("EVAL", DESIRED, "1", "dev:" + id));
  }

  private static Desired desired(@Nullable Object reply) throws IOException {
    if (reply instanceof List<?> l && l.size() == 2) {
      return new Desired(Long.parseLong(String.valueOf(l.get(0))), String.valueOf(l.get(1)));
    }
    throw new IOException("unexpected reply from redis: " + reply);
  }

  /**
   * A device's desired state.
   *
   * @param version 0 when no target was ever set
   * @param target its JSON text, empty when none
   */
  public record Desired(long version, String target) {}
}
