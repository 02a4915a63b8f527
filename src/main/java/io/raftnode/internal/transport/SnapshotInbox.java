package io.raftnode.internal.transport;

import io.raftnode.internal.model.SnapshotMessage;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.Vote;
import io.vertx.core.Future;

/**
 * Where a Snapshot stream goes on the follower: the node implements it. Called on the node's event loop; must not
 * block (file work happens inside the returned futures, on workers).
 */
public interface SnapshotInbox {

  /** The node's vote now: a stream from a leader of an older term is answered with it before any data moves. */
  Vote currentVote();

  /** A fresh temp file for the announced snapshot. */
  Future<SnapshotSink> openSink(SnapshotMessage.Meta meta);

  /**
   * The whole snapshot is in {@code sink}, checksum verified and fsynced. The node installs it (or refuses it by
   * vote) and answers once; it owns the sink from here on and discards it if not installed.
   */
  Future<SnapshotResponse> onSnapshot(SnapshotMessage.Meta meta, SnapshotSink sink);

  /** The snapshot file being received. Writes are issued one at a time, in offset order. */
  interface SnapshotSink {
    Future<Void> write(byte[] data);

    /** CRC32C of the bytes written, unsigned. */
    long crc();

    /** Writes the file's trailer and fsyncs it. */
    Future<Void> finish();

    /** Deletes the file; the node's state is untouched. */
    void discard();
  }
}
