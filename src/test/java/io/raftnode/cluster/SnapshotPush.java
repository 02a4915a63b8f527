package io.raftnode.cluster;

import io.raftnode.HostAndPort;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.storage.SnapshotStore;
import io.raftnode.internal.storage.StoredSnapshot;
import io.raftnode.internal.transport.PeerClient;
import io.raftnode.internal.transport.SnapshotSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Test and benchmark helpers that play a leader's part in a snapshot transfer: a key-value snapshot file written
 * key by key (never held in memory), and the transfer through the node's own sender ({@link PeerClient}).
 */
final class SnapshotPush {
  private SnapshotPush() {}

  static String key(long i) {
    return String.format("key-%08d", i);
  }

  /** The value of key i: {@code valueBytes} bytes derived from i, so a reader can check it. */
  static byte[] value(long i, int valueBytes) {
    byte[] v = new byte[valueBytes];
    byte[] seed = ("value-" + i + "-").getBytes(StandardCharsets.US_ASCII);
    for (int k = 0; k < valueBytes; k++) v[k] = seed[k % seed.length];
    return v;
  }

  /** Writes a KvStateMachine snapshot of {@code keys} keys (revision = 1) into a store under {@code dir}. */
  static StoredSnapshot writeKvSnapshot(Path dir, SnapshotMeta meta, long keys, int valueBytes) throws Exception {
    SnapshotStore store = SnapshotStore.open(dir);
    try (SnapshotStore.Writer writer = store.create(meta)) {
      OutputStream out = writer.data();
      MessagePacker p = MessagePack.newDefaultPacker(out);
      p.packMapHeader(3);
      p.packString("format").packInt(1);
      p.packString("data").packArrayHeader((int) keys);
      for (long i = 0; i < keys; i++) {
        byte[] k = key(i).getBytes(StandardCharsets.US_ASCII);
        byte[] v = value(i, valueBytes);
        p.packArrayHeader(3);
        p.packBinaryHeader(k.length).writePayload(k);
        p.packBinaryHeader(v.length).writePayload(v);
        p.packLong(1);
      }
      p.packString("sessions").packArrayHeader(0);
      p.flush();
      out.flush();
      writer.finish();
      return store.install(writer);
    }
  }

  /** Streams {@code snapshot} to the node at {@code peer} as the leader {@code vote}; file reads on a worker. */
  static Future<SnapshotResponse> push(Vertx vertx, HostAndPort peer, Vote vote, StoredSnapshot snapshot, int chunkBytes) {
    GrpcClient grpc = GrpcClient.client(vertx, PeerCalls.plaintext());
    PeerClient client = new PeerClient(vertx, grpc, peer, 60_000, false, new io.raftnode.internal.transport.AppendEncodings());
    return client.sendSnapshot(vote, snapshot.meta(), chunks(vertx, snapshot), chunkBytes)
        .eventually(() -> grpc.close());
  }

  private static SnapshotSender.ChunkSource chunks(Vertx vertx, StoredSnapshot snapshot) {
    return new SnapshotSender.ChunkSource() {
      private FileChannel channel;

      @Override
      public long size() {
        return snapshot.dataLength();
      }

      @Override
      public long crc() {
        return snapshot.crc();
      }

      @Override
      public Future<byte[]> read(long offset, int length) {
        return vertx.executeBlocking(() -> {
          if (channel == null) channel = snapshot.openChannel();
          ByteBuffer buf = ByteBuffer.allocate(length);
          while (buf.hasRemaining()) channel.read(buf, snapshot.dataOffset() + offset + buf.position());
          return buf.array();
        });
      }

      @Override
      public void close() {
        vertx.executeBlocking(() -> {
          if (channel != null) channel.close();
          return null;
        });
      }
    };
  }
}
