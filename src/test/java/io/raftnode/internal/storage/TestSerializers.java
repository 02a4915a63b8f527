package io.raftnode.internal.storage;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.Vote;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** DataOutputStream encodings that stand in for RaftCodec, so the stores are tested on their own. */
final class TestSerializers {
  private TestSerializers() {}

  static final RecordSerializer<Entry> ENTRIES =
      new RecordSerializer<>() {
        @Override
        public byte[] encode(Entry entry) {
          return write(out -> {
            out.writeLong(entry.term());
            out.writeLong(entry.logId().leaderId().nodeId());
            out.writeLong(entry.index());
            writePayload(out, entry.payload());
          });
        }

        @Override
        public Entry decode(byte[] bytes) throws CodecException {
          return read(bytes, in -> new Entry(LogId.of(in.readLong(), in.readLong(), in.readLong()), readPayload(in)));
        }
      };

  static final RecordSerializer<Vote> VOTES =
      new RecordSerializer<>() {
        @Override
        public byte[] encode(Vote vote) {
          return write(out -> {
            out.writeLong(vote.term());
            out.writeLong(vote.votedFor());
            out.writeBoolean(vote.committed());
          });
        }

        @Override
        public Vote decode(byte[] bytes) throws CodecException {
          return read(bytes, in -> Vote.of(in.readLong(), in.readLong(), in.readBoolean()));
        }
      };

  /** A normal entry of term {@code term} at {@code index} whose data names both, so mix-ups show in diffs. */
  static Entry entry(long term, long index) {
    return new Entry(
        LogId.of(term, 1, index),
        new EntryPayload.Normal(("t" + term + "-i" + index).getBytes(StandardCharsets.UTF_8)));
  }

  static List<Entry> entries(long term, long fromIndex, long toIndex) {
    List<Entry> entries = new ArrayList<>();
    for (long i = fromIndex; i <= toIndex; i++) entries.add(entry(term, i));
    return entries;
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] bytes, Reader<T> reader) throws CodecException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      T value = reader.read(in);
      if (in.available() > 0) throw new CodecException(in.available() + " trailing bytes");
      return value;
    } catch (IOException | IllegalArgumentException e) {
      throw new CodecException("test decoding failed: " + e, e);
    }
  }

  private static void writePayload(DataOutputStream out, EntryPayload payload) throws IOException {
    if (payload instanceof EntryPayload.Blank) {
      out.writeByte(0);
    } else if (payload instanceof EntryPayload.Normal normal) {
      out.writeByte(1);
      out.writeInt(normal.data().length);
      out.write(normal.data());
    } else if (payload instanceof EntryPayload.MembershipChange change) {
      out.writeByte(2);
      Membership membership = change.membership();
      out.writeInt(membership.configs().size());
      for (Set<Long> config : membership.configs()) {
        out.writeInt(config.size());
        for (long id : config) out.writeLong(id);
      }
      out.writeInt(membership.nodes().size());
      for (var node : membership.nodes().entrySet()) {
        out.writeLong(node.getKey());
        out.writeUTF(node.getValue().peerAddress());
        out.writeUTF(node.getValue().clientAddress());
      }
    }
  }

  private static EntryPayload readPayload(DataInputStream in) throws IOException {
    int tag = in.readByte();
    switch (tag) {
      case 0:
        return EntryPayload.Blank.INSTANCE;
      case 1:
        return new EntryPayload.Normal(in.readNBytes(in.readInt()));
      case 2:
        List<Set<Long>> configs = new ArrayList<>();
        for (int c = in.readInt(); c > 0; c--) {
          Set<Long> config = new TreeSet<>();
          for (int n = in.readInt(); n > 0; n--) config.add(in.readLong());
          configs.add(config);
        }
        TreeMap<Long, Node> nodes = new TreeMap<>();
        for (int n = in.readInt(); n > 0; n--) nodes.put(in.readLong(), new Node(in.readUTF(), in.readUTF()));
        return new EntryPayload.MembershipChange(new Membership(configs, nodes));
      default:
        throw new IOException("unknown payload tag " + tag);
    }
  }
}
