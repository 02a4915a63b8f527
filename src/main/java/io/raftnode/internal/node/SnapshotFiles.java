package io.raftnode.internal.node;

import io.raftnode.internal.storage.SnapshotStore;
import io.raftnode.internal.storage.StoredSnapshot;
import io.raftnode.internal.transport.SnapshotInbox;
import io.raftnode.internal.transport.SnapshotSender;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The snapshot file work of one node on one dedicated thread, so the event loop never touches the disk: writing a
 * snapshot, reading chunks for a transfer, writing received chunks. Results come back on the event loop.
 */
public final class SnapshotFiles {
  private final Context context;
  private final SnapshotStore store;
  private final ExecutorService thread;

  public SnapshotFiles(Context context, SnapshotStore store, String name) {
    this.context = context;
    this.store = store;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  SnapshotStore store() {
    return store;
  }

  <T> Future<T> run(Callable<T> work) {
    Promise<T> promise = Promise.promise();
    try {
      thread.execute(() -> {
        try {
          T value = work.call();
          context.runOnContext(v -> promise.complete(value));
        } catch (Throwable e) {
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      promise.fail(new IllegalStateException("the node is stopping", e));
    }
    return promise.future();
  }

  void close() {
    thread.shutdown();
  }

  /** A stored snapshot's data as chunks for a transfer; the file is opened on first use, closed by close(). */
  SnapshotSender.ChunkSource chunks(StoredSnapshot snapshot) {
    return chunks(snapshot, null);
  }

  /**
   * The data as chunks with the file already open, so that a newer snapshot pruning it while it is read (a backup
   * streaming for minutes) cannot take it away.
   */
  Future<SnapshotSender.ChunkSource> open(StoredSnapshot snapshot) {
    return run(snapshot::openChannel).map(channel -> chunks(snapshot, channel));
  }

  private SnapshotSender.ChunkSource chunks(StoredSnapshot snapshot, FileChannel opened) {
    return new SnapshotSender.ChunkSource() {
      private FileChannel channel = opened;

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
        return run(() -> {
          if (channel == null) channel = snapshot.openChannel();
          ByteBuffer buf = ByteBuffer.allocate(length);
          while (buf.hasRemaining()) {
            if (channel.read(buf, snapshot.dataOffset() + offset + buf.position()) < 0) {
              throw new java.io.EOFException(snapshot.path() + " ends before its data does");
            }
          }
          return buf.array();
        });
      }

      @Override
      public void close() {
        run(() -> {
          if (channel != null) channel.close();
          return null;
        });
      }
    };
  }

  /** A received snapshot being written to a temp file in the store. */
  Future<Received> sink(io.raftnode.internal.model.SnapshotMeta meta) {
    return run(() -> store.create(meta)).map(Received::new);
  }

  /** The temp file of a snapshot arriving over a Snapshot stream; installed by the storage worker. */
  final class Received implements SnapshotInbox.SnapshotSink, PendingCalls.Attachment {
    final SnapshotStore.Writer writer;
    private java.util.function.LongConsumer written = n -> {};
    private Runnable ended = () -> {};

    Received(SnapshotStore.Writer writer) {
      this.writer = writer;
    }

    /** Tells {@code written} the bytes stored so far after each write, and {@code ended} once finished or dropped. */
    void track(java.util.function.LongConsumer written, Runnable ended) {
      this.written = written;
      this.ended = ended;
    }

    @Override
    public Future<Void> write(byte[] data) {
      return run(() -> {
        writer.write(data, 0, data.length);
        return writer.length();
      }).map(length -> {
        written.accept(length);
        return null;
      });
    }

    @Override
    public long crc() {
      return writer.crc();
    }

    @Override
    public Future<Void> finish() {
      context.runOnContext(v -> ended.run());
      return run(() -> {
        writer.finish();
        return null;
      });
    }

    @Override
    public void discard() {
      context.runOnContext(v -> ended.run());
      run(() -> {
        writer.close();
        return null;
      });
    }
  }
}
