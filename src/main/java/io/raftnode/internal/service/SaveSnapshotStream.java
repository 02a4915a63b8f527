package io.raftnode.internal.service;

import com.google.protobuf.ByteString;
import io.raftnode.NoSnapshotException;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.node.InternalNode;
import io.raftnode.internal.node.SnapshotDownload;
import io.raftnode.internal.transport.SnapshotSender;
import io.raftnode.proto.AdminServiceGrpcService;
import io.raftnode.proto.SaveSnapshotRequest;
import io.raftnode.proto.SnapshotChunk;
import io.raftnode.proto.SnapshotInfo;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
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

  private final InternalNode node;
  private final LeaderRouter router;
  private final GrpcServerRequest<SaveSnapshotRequest, SnapshotChunk> request;
  private final GrpcServerResponse<SaveSnapshotRequest, SnapshotChunk> response;
  private SaveSnapshotRequest received;
  private SnapshotSender.ChunkSource data;
  private long offset;
  private boolean reading;
  /** The stream is over (answered, reset by the client, or refused): nothing more is written. */
  private boolean over;

  private SaveSnapshotStream(InternalNode node, LeaderRouter router,
      GrpcServerRequest<SaveSnapshotRequest, SnapshotChunk> request) {
    this.node = node;
    this.router = router;
    this.request = request;
    this.response = request.response();
  }

  static void bind(GrpcServer server, InternalNode node, LeaderRouter router) {
    server.callHandler(AdminServiceGrpcService.SaveSnapshot,
        request -> new SaveSnapshotStream(node, router, request).start());
  }

  private void start() {
    request.messageHandler(this::onMessage);
    request.endHandler(v -> onEnd());
    request.invalidMessageHandler(invalid -> fail(GrpcStatus.INVALID_ARGUMENT, "malformed message: " + invalid.getMessage()));
    request.exceptionHandler(e -> stop());
    request.errorHandler(e -> stop());
  }

  private void onMessage(GrpcMessage message) {
    if (over) return;
    if (received != null) {
      fail(GrpcStatus.INTERNAL, "SaveSnapshot takes one request, this is a second");
      return;
    }
    try {
      received = AdminServiceGrpcService.SaveSnapshot.decoder().decode(message);
    } catch (RuntimeException e) {
      fail(GrpcStatus.INVALID_ARGUMENT, "malformed SaveSnapshot request: " + e.getMessage());
    }
  }

  private void onEnd() {
    if (over) return;
    if (received == null) {
      fail(GrpcStatus.INTERNAL, "the call ended without its SaveSnapshot request");
      return;
    }
    // A fresh snapshot first confirms the commit index with the leader: retried, as a read is, while none is known.
    boolean fresh = !received.getUseLatest();
    router.retryLocally(() -> node.openSnapshot(fresh), CallDeadline.of(request)).onComplete((download, err) -> {
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
    response.drainHandler(v -> pump());
    pump();
  }

  /** Reads and writes the next chunk while the write queue has room; ends the stream after the last one. */
  private void pump() {
    if (over || reading) return;
    if (offset >= data.size()) {
      over = true;
      data.close();
      try {
        response.end();
      } catch (RuntimeException e) {
        LOG.fine(() -> "SaveSnapshot: the stream ended before its last message: " + e);
      }
      return;
    }
    if (response.writeQueueFull()) return; // the drain handler pumps again
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

  private boolean writeIfOpen(SnapshotChunk chunk) {
    try {
      response.write(chunk);
      return true;
    } catch (RuntimeException e) {
      stop();
      return false;
    }
  }

  private void fail(GrpcStatus status, String message) {
    if (over) return;
    stop();
    try {
      response.status(status).statusMessage(message).end();
    } catch (RuntimeException e) {
      LOG.fine(() -> "SaveSnapshot: the stream ended before its status could be written: " + e);
    }
  }

  /** The client went away or the stream failed: release the file. */
  private void stop() {
    over = true;
    if (data != null) data.close();
  }
}
