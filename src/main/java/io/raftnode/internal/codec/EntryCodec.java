package io.raftnode.internal.codec;

import static io.raftnode.internal.codec.MsgpackWriter.key;
import static io.raftnode.internal.codec.MsgpackWriter.writeKey;
import static io.raftnode.internal.codec.MsgpackWriter.writeU64;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.msgpack.core.MessagePacker;

/** Log entries, their payload enum, and the membership a payload may carry. */
final class EntryCodec {
  private EntryCodec() {}

  private static final String[] ENTRY = {"log_id", "payload"};
  private static final byte[] K_LOG_ID = key("log_id");
  private static final byte[] K_PAYLOAD = key("payload");

  // Variant names are openraft's: the Java MembershipChange is "Membership" on the wire.
  private static final String BLANK = "Blank";
  private static final String NORMAL = "Normal";
  private static final String MEMBERSHIP = "Membership";
  private static final byte[] K_NORMAL = key(NORMAL);
  private static final byte[] K_MEMBERSHIP = key(MEMBERSHIP);

  private static final String[] MEMBERSHIP_FIELDS = {"configs", "nodes", "removed"};
  private static final byte[] K_CONFIGS = key("configs");
  private static final byte[] K_NODES = key("nodes");
  private static final byte[] K_REMOVED = key("removed");

  private static final String[] NODE = {"peer_address", "client_address"};
  private static final byte[] K_PEER_ADDRESS = key("peer_address");
  private static final byte[] K_CLIENT_ADDRESS = key("client_address");

  /**
   * Entries are encoded on a packer of their own: {@link #writeEntry} runs inside the encoding of a request or a log
   * record, which holds the thread's shared packer.
   */
  private static final ThreadLocal<ReusablePacker> ENTRY_PACKER = ThreadLocal.withInitial(ReusablePacker::new);

  /** Writes the entry's msgpack form, encoding it only if it is not known yet (see {@link Entry#knownEncoding}). */
  static void writeEntry(MessagePacker p, Entry v) throws IOException {
    p.writePayload(encoded(v));
  }

  /** The entry's msgpack form, computed once and then kept on the entry. */
  static byte[] encoded(Entry v) throws IOException {
    byte[] known = v.knownEncoding();
    if (known != null) return known;
    byte[] fresh = ENTRY_PACKER.get().encode(p -> writeFields(p, v));
    v.rememberEncoding(fresh);
    return fresh;
  }

  /**
   * Reads one entry and keeps the bytes it was read from as its msgpack form, so a follower stores what the leader
   * sent without encoding it again. Those bytes decode to exactly this entry, whatever fields a newer writer added.
   */
  static Entry readEntryKeepingBytes(MsgpackReader r) throws CodecException, IOException {
    long start = r.position();
    Entry entry = readEntry(r);
    entry.rememberEncoding(r.bytesSince(start));
    return entry;
  }

  private static void writeFields(MessagePacker p, Entry v) throws IOException {
    p.packMapHeader(2);
    writeKey(p, K_LOG_ID);
    CoreCodec.writeLogId(p, v.logId());
    writeKey(p, K_PAYLOAD);
    writePayload(p, v.payload());
  }

  static Entry readEntry(MsgpackReader r) throws CodecException, IOException {
    LogId logId = null;
    EntryPayload payload = null;
    StructCursor c = new StructCursor(r, ENTRY);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> logId = CoreCodec.readLogId(r);
        default -> payload = readPayload(r);
      }
    }
    c.require(0, 1);
    return new Entry(logId, payload);
  }

  static void writePayload(MessagePacker p, EntryPayload v) throws IOException {
    if (v instanceof EntryPayload.Normal n) {
      p.packMapHeader(1);
      writeKey(p, K_NORMAL);
      p.packBinaryHeader(n.data().length);
      p.writePayload(n.data());
    } else if (v instanceof EntryPayload.MembershipChange m) {
      p.packMapHeader(1);
      writeKey(p, K_MEMBERSHIP);
      writeMembership(p, m.membership());
    } else {
      p.packString(BLANK);
    }
  }

  static EntryPayload readPayload(MsgpackReader r) throws CodecException, IOException {
    EnumTag tag = EnumTag.read(r);
    EntryPayload v;
    switch (tag.name) {
      case BLANK -> {
        tag.readUnit();
        v = EntryPayload.Blank.INSTANCE;
      }
      case NORMAL -> {
        tag.requireValue();
        v = new EntryPayload.Normal(r.readBin());
      }
      case MEMBERSHIP -> {
        tag.requireValue();
        v = new EntryPayload.MembershipChange(readMembership(r));
      }
      default -> throw tag.unknown();
    }
    tag.close();
    return v;
  }

  /** {@code removed} is written only when it names someone, so a membership that never removed anyone keeps its form. */
  static void writeMembership(MessagePacker p, Membership v) throws IOException {
    p.packMapHeader(v.removed().isEmpty() ? 2 : 3);
    writeKey(p, K_CONFIGS);
    p.packArrayHeader(v.configs().size());
    for (Set<Long> config : v.configs()) {
      // The model keeps each config in a sorted set, so ids are written in ascending order.
      writeIds(p, config, "voter id");
    }
    writeKey(p, K_NODES);
    p.packMapHeader(v.nodes().size());
    for (Map.Entry<Long, Node> e : v.nodes().entrySet()) {
      writeU64(p, e.getKey(), "node id");
      writeNode(p, e.getValue());
    }
    if (!v.removed().isEmpty()) {
      writeKey(p, K_REMOVED);
      writeIds(p, v.removed(), "removed id");
    }
  }

  private static void writeIds(MessagePacker p, Set<Long> ids, String what) throws IOException {
    p.packArrayHeader(ids.size());
    for (long id : ids) writeU64(p, id, what);
  }

  static Membership readMembership(MsgpackReader r) throws CodecException, IOException {
    List<Set<Long>> configs = null;
    TreeMap<Long, Node> nodes = null;
    Set<Long> removed = Set.of();
    StructCursor c = new StructCursor(r, MEMBERSHIP_FIELDS);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> configs = readConfigs(r);
        case 1 -> nodes = readNodes(r);
        default -> removed = readIds(r, "removed id");
      }
    }
    c.require(0, 1);
    return new Membership(configs, nodes, new TreeSet<>(removed));
  }

  private static List<Set<Long>> readConfigs(MsgpackReader r) throws CodecException, IOException {
    int n = r.readArrayHeader();
    List<Set<Long>> configs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      r.enterIndex(i);
      configs.add(readIds(r, "voter id"));
      r.leave();
    }
    return configs;
  }

  private static Set<Long> readIds(MsgpackReader r, String what) throws CodecException, IOException {
    int m = r.readArrayHeader();
    Set<Long> ids = new TreeSet<>();
    for (int j = 0; j < m; j++) {
      r.enterIndex(j);
      long id = r.readU64();
      if (!ids.add(id)) throw r.error("duplicate " + what + " " + id);
      r.leave();
    }
    return ids;
  }

  private static TreeMap<Long, Node> readNodes(MsgpackReader r) throws CodecException, IOException {
    int n = r.readMapHeader();
    TreeMap<Long, Node> nodes = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      r.enterIndex(i);
      long id = r.readU64();
      if (nodes.containsKey(id)) throw r.error("duplicate node id " + id);
      nodes.put(id, readNode(r));
      r.leave();
    }
    return nodes;
  }

  static void writeNode(MessagePacker p, Node v) throws IOException {
    p.packMapHeader(2);
    writeKey(p, K_PEER_ADDRESS);
    p.packString(v.peerAddress());
    writeKey(p, K_CLIENT_ADDRESS);
    p.packString(v.clientAddress());
  }

  static Node readNode(MsgpackReader r) throws CodecException, IOException {
    String peer = null;
    String client = "";
    StructCursor c = new StructCursor(r, NODE);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> peer = r.readString();
        default -> client = r.readString();
      }
    }
    c.require(0);
    return new Node(peer, client);
  }
}
