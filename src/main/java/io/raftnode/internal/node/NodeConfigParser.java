package io.raftnode.internal.node;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.raftnode.ConfigException;
import io.raftnode.HostAndPort;
import io.raftnode.NodeConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Turns a config file's JSON into a {@link NodeConfig}: file reading, key checks and types. Semantics: validate(). */
public final class NodeConfigParser {
  private static final List<String> TOP_KEYS = List.of(
      "node_id", "peer_address", "client_address", "data_dir", "members", "tls", "client_tls", "raft", "replication",
      "limits", "metrics_address", "health", "log");
  private static final List<String> LIMITS_KEYS = List.of("max_key_bytes", "max_value_bytes",
      "max_pending_proposal_bytes", "max_pending_append_bytes", "max_store_bytes");
  private static final List<String> HEALTH_KEYS = List.of("max_apply_gap");
  private static final List<String> LOG_KEYS = List.of("level", "format");
  private static final List<String> MEMBER_KEYS = List.of("peer_address", "client_address");
  private static final List<String> TLS_KEYS = List.of("enabled", "cert", "key", "ca");
  private static final List<String> CLIENT_TLS_KEYS = List.of("enabled", "require_client_cert", "cert", "key", "ca");
  private static final List<String> RAFT_KEYS =
      List.of("heartbeat_interval_ms", "election_timeout_min_ms", "election_timeout_max_ms", "lease_clock_drift_ms",
          "snapshot_threshold_entries", "snapshot_keep_tail_entries", "snapshot_chunk_bytes",
          "snapshot_threshold_bytes", "snapshot_keep_tail_bytes", "learner_catch_up_entries", "bootstrap_grace_ms");
  private static final List<String> REPLICATION_KEYS =
      List.of("path", "max_entries_per_append", "max_bytes_per_append", "max_inflight_appends", "max_inflight_bytes", "log_cache_bytes");
  // Canonical decimal only, so "01" and "+1" cannot silently alias member 1.
  private static final Pattern MEMBER_ID = Pattern.compile("[1-9][0-9]{0,18}");

  static final long DEFAULT_HEARTBEAT_MS = 50;
  static final long DEFAULT_ELECTION_MIN_MS = 150;
  static final long DEFAULT_ELECTION_MAX_MS = 300;

  private NodeConfigParser() {}

  /** Reads {@code file} as one JSON object; problems are reported against the file, never as defaults. */
  public static JsonObject read(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file, null, "config file not found", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException(file, null, "cannot read config file: permission denied", e);
    } catch (IOException e) {
      throw new ConfigException(file, null, "cannot read config file: " + e, e);
    }
    if (text.isBlank()) throw new ConfigException(file, null, "config file is empty", null);
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new ConfigException(file, null, "invalid JSON: " + jsonProblem(e), e);
    }
    if (!(value instanceof JsonObject json))
      throw new ConfigException(file, null, "the config must be a JSON object {...}, got " + Section.describe(value), null);
    return json;
  }

  /** The parser's own words plus line and column, without the echo of the whole source Jackson appends. */
  private static String jsonProblem(DecodeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException jpe) {
        JsonLocation at = jpe.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return jpe.getOriginalMessage().lines().findFirst().orElse("") + where;
      }
    }
    return e.getMessage();
  }

  public static NodeConfig parse(JsonObject json, Path baseDir) throws ConfigException {
    Section top = new Section("", json);
    top.checkKeys(TOP_KEYS);
    long nodeId = top.requiredLong("node_id");
    HostAndPort peer = address(top, "peer_address");
    HostAndPort client = address(top, "client_address");
    Path dataDir = resolve(baseDir, top.requiredString("data_dir"), top.key("data_dir"));
    SortedMap<Long, NodeConfig.Member> members = members(top.optionalObject("members"));

    Section tlsSection = top.optionalObject("tls");
    NodeConfig.Tls tls = new NodeConfig.Tls(false, null, null, null);
    if (tlsSection != null) {
      tlsSection.checkKeys(TLS_KEYS);
      tls = new NodeConfig.Tls(tlsSection.optionalBoolean("enabled", false), path(tlsSection, "cert", baseDir),
          path(tlsSection, "key", baseDir), path(tlsSection, "ca", baseDir));
    }

    Section clientSection = top.optionalObject("client_tls");
    NodeConfig.ClientTls clientTls = new NodeConfig.ClientTls(false, false, null, null, null);
    if (clientSection != null) {
      clientSection.checkKeys(CLIENT_TLS_KEYS);
      boolean enabled = clientSection.optionalBoolean("enabled", false);
      boolean requireCert = clientSection.optionalBoolean("require_client_cert", false);
      Path cert = path(clientSection, "cert", baseDir);
      Path key = path(clientSection, "key", baseDir);
      Path ca = path(clientSection, "ca", baseDir);
      // The client port serves the node's own certificate unless client_tls names another one.
      if (enabled) {
        cert = cert != null ? cert : tls.cert();
        key = key != null ? key : tls.key();
        ca = ca != null ? ca : tls.ca();
      }
      clientTls = new NodeConfig.ClientTls(enabled, requireCert, cert, key, ca);
    }

    Section raftSection = top.optionalObject("raft");
    NodeConfig.RaftTimings raft =
        new NodeConfig.RaftTimings(DEFAULT_HEARTBEAT_MS, DEFAULT_ELECTION_MIN_MS, DEFAULT_ELECTION_MAX_MS);
    if (raftSection != null) {
      raftSection.checkKeys(RAFT_KEYS);
      long min = raftSection.optionalLong("election_timeout_min_ms", DEFAULT_ELECTION_MIN_MS);
      raft = new NodeConfig.RaftTimings(
          raftSection.optionalLong("heartbeat_interval_ms", DEFAULT_HEARTBEAT_MS),
          min,
          raftSection.optionalLong("election_timeout_max_ms", DEFAULT_ELECTION_MAX_MS),
          raftSection.optionalLong("lease_clock_drift_ms", min / 5));
    }
    return new NodeConfig(nodeId, peer, client, dataDir, members, tls, clientTls, raft,
        replication(top.optionalObject("replication")), snapshots(raftSection), membership(raftSection),
        limits(top.optionalObject("limits")), operations(top));
  }

  private static NodeConfig.Membership membership(Section raft) throws ConfigException {
    NodeConfig.Membership d = NodeConfig.Membership.DEFAULTS;
    if (raft == null) return d;
    return new NodeConfig.Membership(raft.optionalLong("learner_catch_up_entries", d.learnerCatchUpEntries()),
        raft.optionalLong("bootstrap_grace_ms", d.bootstrapGraceMs()));
  }

  private static NodeConfig.Limits limits(Section section) throws ConfigException {
    NodeConfig.Limits d = NodeConfig.Limits.DEFAULTS;
    if (section == null) return d;
    section.checkKeys(LIMITS_KEYS);
    NodeConfig.Limits sized = new NodeConfig.Limits(clampToInt(section.optionalLong("max_key_bytes", d.maxKeyBytes())),
        clampToInt(section.optionalLong("max_value_bytes", d.maxValueBytes())));
    return new NodeConfig.Limits(sized.maxKeyBytes(), sized.maxValueBytes(),
        section.optionalLong("max_pending_proposal_bytes", sized.maxPendingProposalBytes()),
        section.optionalLong("max_pending_append_bytes", sized.maxPendingAppendBytes()),
        section.optionalLong("max_store_bytes", sized.maxStoreBytes()));
  }

  /** Out-of-range numbers stay out of range (validate() then names them) instead of wrapping around. */
  private static int clampToInt(long value) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }

  private static NodeConfig.Operations operations(Section top) throws ConfigException {
    NodeConfig.Operations d = NodeConfig.Operations.DEFAULTS;
    HostAndPort metrics = top.optionalString("metrics_address") != null ? address(top, "metrics_address") : null;
    long gap = d.healthMaxApplyGap();
    Section health = top.optionalObject("health");
    if (health != null) {
      health.checkKeys(HEALTH_KEYS);
      gap = health.optionalLong("max_apply_gap", gap);
    }
    String level = null;
    boolean json = false;
    Section log = top.optionalObject("log");
    if (log != null) {
      log.checkKeys(LOG_KEYS);
      level = log.optionalString("level");
      String format = log.optionalString("format") == null ? "text" : log.optionalString("format");
      if (!format.equals("text") && !format.equals("json")) {
        throw new ConfigException("log.format", "\"log.format\" must be \"text\" or \"json\", got \"" + format + "\"");
      }
      json = format.equals("json");
    }
    return new NodeConfig.Operations(metrics, gap, level, json);
  }

  private static NodeConfig.Snapshots snapshots(Section raft) throws ConfigException {
    NodeConfig.Snapshots d = NodeConfig.Snapshots.DEFAULTS;
    if (raft == null) return d;
    return new NodeConfig.Snapshots(
        raft.optionalLong("snapshot_threshold_entries", d.thresholdEntries()),
        raft.optionalLong("snapshot_keep_tail_entries", d.keepTailEntries()),
        (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, raft.optionalLong("snapshot_chunk_bytes", d.chunkBytes()))),
        raft.optionalLong("snapshot_threshold_bytes", d.thresholdBytes()),
        raft.optionalLong("snapshot_keep_tail_bytes", d.keepTailBytes()));
  }

  private static NodeConfig.Replication replication(Section section) throws ConfigException {
    NodeConfig.Replication d = NodeConfig.Replication.DEFAULTS;
    if (section == null) return d;
    section.checkKeys(REPLICATION_KEYS);
    String path = section.optionalString("path");
    if (path != null && !path.equals("stream") && !path.equals("unary")) {
      throw new ConfigException(section.key("path"),
          "\"" + section.key("path") + "\" must be \"stream\" or \"unary\", got \"" + path + "\"");
    }
    return new NodeConfig.Replication(
        path == null ? d.stream() : path.equals("stream"),
        (int) Math.min(Integer.MAX_VALUE, section.optionalLong("max_entries_per_append", d.maxEntriesPerAppend())),
        section.optionalLong("max_bytes_per_append", d.maxBytesPerAppend()),
        (int) Math.min(Integer.MAX_VALUE, section.optionalLong("max_inflight_appends", d.maxInflightAppends())),
        section.optionalLong("max_inflight_bytes", d.maxInflightBytes()),
        section.optionalLong("log_cache_bytes", d.logCacheBytes()));
  }

  private static SortedMap<Long, NodeConfig.Member> members(Section section) throws ConfigException {
    SortedMap<Long, NodeConfig.Member> members = new TreeMap<>();
    if (section == null) return Collections.unmodifiableSortedMap(members);
    for (String id : section.keys()) {
      if (!MEMBER_ID.matcher(id).matches())
        throw new ConfigException(section.key(id),
            "member id \"" + id + "\" in \"members\" must be a positive integer such as \"1\"");
      Section member = section.requiredObject(id);
      member.checkKeys(MEMBER_KEYS);
      HostAndPort peer = address(member, "peer_address");
      HostAndPort client = address(member, "client_address");
      members.put(Long.parseLong(id), new NodeConfig.Member(peer.toString(), client.toString()));
    }
    return Collections.unmodifiableSortedMap(members);
  }

  private static HostAndPort address(Section section, String name) throws ConfigException {
    String text = section.requiredString(name);
    try {
      return HostAndPort.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(section.key(name), "\"" + section.key(name) + "\" is not a valid address: " + e.getMessage());
    }
  }

  private static Path path(Section section, String name, Path baseDir) throws ConfigException {
    String text = section.optionalString(name);
    return text == null ? null : resolve(baseDir, text, section.key(name));
  }

  private static Path resolve(Path baseDir, String text, String key) throws ConfigException {
    if (text.isBlank()) throw new ConfigException(key, "\"" + key + "\" must not be empty");
    try {
      return baseDir.resolve(text).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new ConfigException(key, "\"" + key + "\" is not a valid path: " + e.getMessage());
    }
  }

  /** One JSON object of the config and its dotted path, with typed getters whose errors name the key. */
  static final class Section {
    private final String path;
    private final JsonObject json;

    Section(String path, JsonObject json) {
      this.path = path;
      this.json = json;
    }

    String key(String name) {
      return path.isEmpty() ? name : path + "." + name;
    }

    Iterable<String> keys() {
      return new TreeMap<>(json.getMap()).keySet();
    }

    /** Rejects keys this section does not know, so a typo fails loudly instead of silently using a default. */
    void checkKeys(List<String> known) throws ConfigException {
      for (String name : json.fieldNames()) {
        if (known.contains(name)) continue;
        String where = path.isEmpty() ? "at the top level" : "in \"" + path + "\"";
        throw new ConfigException(key(name),
            "unknown key \"" + name + "\" " + where + " (known: " + String.join(", ", known) + ")");
      }
    }

    private Object required(String name) throws ConfigException {
      if (!json.containsKey(name)) throw new ConfigException(key(name), "missing required key \"" + key(name) + "\"");
      return json.getValue(name);
    }

    long requiredLong(String name) throws ConfigException {
      return toLong(name, required(name));
    }

    long optionalLong(String name, long defaultValue) throws ConfigException {
      return json.containsKey(name) ? toLong(name, json.getValue(name)) : defaultValue;
    }

    private long toLong(String name, Object value) throws ConfigException {
      if (value instanceof Integer || value instanceof Long) return ((Number) value).longValue();
      if (value instanceof java.math.BigInteger) throw wrongType(name, "an integer that fits in 64 bits", value);
      throw wrongType(name, "an integer", value);
    }

    String requiredString(String name) throws ConfigException {
      Object value = required(name);
      if (value instanceof String text) return text;
      throw wrongType(name, "a string", value);
    }

    String optionalString(String name) throws ConfigException {
      return json.containsKey(name) ? requiredString(name) : null;
    }

    boolean optionalBoolean(String name, boolean defaultValue) throws ConfigException {
      if (!json.containsKey(name)) return defaultValue;
      Object value = json.getValue(name);
      if (value instanceof Boolean b) return b;
      throw wrongType(name, "true or false", value);
    }

    Section requiredObject(String name) throws ConfigException {
      Object value = required(name);
      if (value instanceof JsonObject object) return new Section(key(name), object);
      throw wrongType(name, "an object {...}", value);
    }

    Section optionalObject(String name) throws ConfigException {
      return json.containsKey(name) ? requiredObject(name) : null;
    }

    private ConfigException wrongType(String name, String expected, Object value) {
      return new ConfigException(key(name), "\"" + key(name) + "\" must be " + expected + ", got " + describe(value));
    }

    static String describe(Object value) {
      if (value == null) return "null";
      if (value instanceof String s) return "the string \"" + s + "\"";
      if (value instanceof Number n) return "the number " + n;
      if (value instanceof Boolean b) return b.toString();
      if (value instanceof JsonObject) return "an object";
      return value instanceof io.vertx.core.json.JsonArray ? "an array" : value.getClass().getSimpleName();
    }
  }
}
