package io.raftnode.internal.service;

import com.google.protobuf.ByteString;
import io.raftnode.NoSnapshotException;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.grpc.GrpcMethod;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.grpc.ServerCall;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.node.InternalNode;
import io.raftnode.internal.node.SnapshotDownload;
import io.raftnode.internal.transport.SnapshotSender;
import io.raftnode.proto.AdminServiceGrpcService;
import io.raftnode.proto.SaveSnapshotRequest;
import io.raftnode.proto.SnapshotChunk;
import io.raftnode.proto.SnapshotInfo;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * AdminService.SaveSnapshot: streams a snapshot to a backup client. The info goes first, then the data, one chunk
 * read (off the event loop) at a time and only while the response's write queue has room, so the HTTP/2 window
 * bounds what is held in memory whatever the snapshot's size: at most one chunk is read ahead.
 */
final class SaveSnapshotStream {
  private static final Logger LOG = Logger.getLogger(SaveSnapshotStream.class.getName());
  /** Data bytes per message: below the 256 KiB a gRPC client accepts by default, with room for the framing. */
  static final int CHUNK_BYTES = 192 * 1024;
  private static final GrpcMethod<SaveSnapshotRequest, SnapshotChunk> SAVE_SNAPSHOT =
      GrpcMethod.of(AdminServiceGrpcService.SaveSnapshot, SaveSnapshotRequest.parser());

  private final InternalNode node;
  private final LeaderRouter router;
  private final ServerCall<SaveSnapshotRequest, SnapshotChunk> call;
  private SaveSnapshotRequest received;
  private SnapshotSender.ChunkSource data;
  private long offset;
  private boolean reading;
  /** The stream is over (answered, reset by the client, or refused): nothing more is written. */
  private boolean over;

  private SaveSnapshotStream(InternalNode node, LeaderRouter router,
      ServerCall<SaveSnapshotRequest, SnapshotChunk> call) {
    this.node = node;
    this.router = router;
    this.call = call;
  }

  static void bind(GrpcRoutes routes, InternalNode node, LeaderRouter router) {
    routes.bind(SAVE_SNAPSHOT, call -> new SaveSnapshotStream(node, router, call).start());
  }

  private void start() {
    call.handler(this::onMessage);
    call.endHandler(v -> onEnd());
    call.cancelHandler(v -> stop());
  }

  private void onMessage(SaveSnapshotRequest message) {
    if (over) return;
    if (received != null) {
      fail(GrpcStatus.INTERNAL, "SaveSnapshot takes one request, this is a second");
      return;
    }
    received = message;
  }

  private void onEnd() {
    if (over) return;
    if (received == null) {
      fail(GrpcStatus.INTERNAL, "the call ended without its SaveSnapshot request");
      return;
    }
    // A fresh snapshot first confirms the commit index with the leader: retried, as a read is, while none is known.
    boolean fresh = !received.getUseLatest();
    router.retryLocally(() -> node.openSnapshot(fresh), CallDeadline.of(call)).onComplete((download, err) -> {
      if (err != null) {
        refuse(err);
      } else if (over) {
        download.data().close();
      } else {
        send(download);
      }
    });
  }

  private void send(SnapshotDownload download) {
    data = download.data();
    SnapshotMeta meta = download.meta();
    SnapshotInfo info = SnapshotInfo.newBuilder()
        .setMeta(ByteString.copyFrom(RaftCodec.encodeSnapshotMeta(meta))).setSize(data.size())
        .setCrc32C((int) data.crc()).setLastIndex(meta.lastIndex())
        .setLastTerm(meta.lastLogId() == null ? 0 : meta.lastLogId().term()).setSnapshotId(meta.snapshotId())
        .setNodeId(node.nodeId()).build();
    LOG.info("node " + node.nodeId() + " streams snapshot " + meta.snapshotId() + " (" + data.size()
        + " bytes) for a backup");
    if (!writeIfOpen(SnapshotChunk.newBuilder().setInfo(info).build())) return;
    call.drainHandler(v -> pump());
    pump();
  }

  /** Reads and writes the next chunk while the write queue has room; ends the stream after the last one. */
  private void pump() {
    if (over || reading) return;
    if (offset >= data.size()) {
      over = true;
      data.close();
      call.end(GrpcStatus.OK, null);
      return;
    }
    if (call.writeQueueFull()) return; // the drain handler pumps again
    int length = (int) Math.min(CHUNK_BYTES, data.size() - offset);
    reading = true;
    data.read(offset, length).onComplete((bytes, err) -> {
      reading = false;
      if (over) return;
      if (err != null) {
        LOG.log(Level.WARNING, "SaveSnapshot: reading the snapshot failed", err);
        fail(GrpcStatus.INTERNAL, "reading the snapshot failed: " + err.getMessage());
        return;
      }
      if (!writeIfOpen(SnapshotChunk.newBuilder().setData(ByteString.copyFrom(bytes)).build())) return;
      offset += length;
      pump();
    });
  }

  private void refuse(Throwable err) {
    if (err instanceof NoSnapshotException || err instanceof UnsupportedOperationException) {
      fail(GrpcStatus.FAILED_PRECONDITION, err.getMessage());
      return;
    }
    ClientFailure failure = ClientErrors.classifyRead(err);
    fail(failure.status(), failure.getMessage());
  }

  /** Writes the chunk unless the stream is over (the client reset it): then the file is released. */
  private boolean writeIfOpen(SnapshotChunk chunk) {
    if (call.isOver()) {
      stop();
      return false;
    }
    call.write(chunk);
    return true;
  }

  private void fail(GrpcStatus status, String message) {
    if (over) return;
    stop();
    call.end(status, message);
  }

  /** The client went away or the stream failed: release the file. */
  private void stop() {
    over = true;
    if (data != null) data.close();
  }
}
