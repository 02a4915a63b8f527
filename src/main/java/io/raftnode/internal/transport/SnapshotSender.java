package io.raftnode.internal.transport;

import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.SnapshotMessage;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.Vote;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.RaftServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;

/**
 * The leader side of one Snapshot stream: Meta, then chunks read from the snapshot file one at a time and written
 * only while the stream's write queue has room (a full queue waits for its drain handler), then Done. So at most
 * one chunk is read ahead of what the transport accepted, whatever the snapshot's size. A transfer that makes no
 * progress (no chunk accepted, no answer) for {@link #IDLE_TIMEOUT_MS} is cancelled and fails, so a follower that
 * stopped answering cannot hold the leader's SNAPSHOT state forever.
 */
public final class SnapshotSender {

  /** The snapshot's data, read on a worker. */
  public interface ChunkSource {
    long size();

    /** CRC32C of the whole data, unsigned. */
    long crc();

    Future<byte[]> read(long offset, int length);

    void close();
  }

  static final long IDLE_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final GrpcClientRequest<RaftPayload, RaftPayload> call;
  private final ChunkSource source;
  private final int chunkBytes;
  private final Promise<SnapshotResponse> result = Promise.promise();
  private long offset;
  private boolean reading;
  private boolean ended;
  private long lastProgressMs = System.currentTimeMillis();

  private SnapshotSender(Vertx vertx, GrpcClientRequest<RaftPayload, RaftPayload> call, ChunkSource source,
      int chunkBytes) {
    this.vertx = vertx;
    this.call = call;
    this.source = source;
    this.chunkBytes = chunkBytes;
  }

  static Future<SnapshotResponse> send(Vertx vertx, GrpcClient client, SocketAddress address, Vote vote,
      SnapshotMeta meta, ChunkSource source, int chunkBytes) {
    return client.request(address, RaftServiceGrpcClient.Snapshot)
        .compose(call -> new SnapshotSender(vertx, call, source, chunkBytes).run(vote, meta))
        .onComplete(x -> source.close());
  }

  private Future<SnapshotResponse> run(Vote vote, SnapshotMeta meta) {
    call.exceptionHandler(result::tryFail);
    long watchdog = vertx.setPeriodic(IDLE_TIMEOUT_MS / 4, id -> {
      if (System.currentTimeMillis() - lastProgressMs > IDLE_TIMEOUT_MS
          && result.tryFail(new RemoteCallException(GrpcStatus.DEADLINE_EXCEEDED,
              "the snapshot transfer made no progress for " + IDLE_TIMEOUT_MS + " ms"))) {
        call.cancel();
      }
    });
    result.future().onComplete(x -> vertx.cancelTimer(watchdog));
    call.response().onComplete((response, err) -> {
      if (err != null) {
        result.tryFail(err);
        return;
      }
      response.last().onComplete((payload, e) -> {
        if (e != null || response.status() != GrpcStatus.OK) {
          GrpcStatus status = response.status() == null ? GrpcStatus.UNAVAILABLE : response.status();
          result.tryFail(new RemoteCallException(status, response.statusMessage()));
          return;
        }
        ended = true; // a follower may answer early (a stale leader's stream): stop sending
        Future<SnapshotResponse> decoded = Payloads.decode(payload, RaftCodec::decodeSnapshotResponse,
            c -> new IllegalStateException("peer sent a malformed snapshot reply: " + c.getMessage(), c));
        if (decoded.failed()) result.tryFail(decoded.cause());
        else result.tryComplete(decoded.result());
      });
    });
    call.write(Payloads.wrap(RaftCodec.encodeSnapshotMessage(new SnapshotMessage.Meta(vote, meta, source.size()))));
    call.drainHandler(v -> pump());
    pump();
    return result.future();
  }

  /** Reads and writes the next chunk while the write queue has room; ends the stream after the last one. */
  private void pump() {
    if (reading || ended || result.future().isComplete()) return;
    if (offset >= source.size()) {
      ended = true;
      call.end(Payloads.wrap(RaftCodec.encodeSnapshotMessage(new SnapshotMessage.Done(source.crc()))));
      return;
    }
    if (call.writeQueueFull()) return; // the drain handler calls pump again
    int length = (int) Math.min(chunkBytes, source.size() - offset);
    reading = true;
    source.read(offset, length).onComplete((bytes, err) -> {
      reading = false;
      if (err != null) {
        result.tryFail(err);
        call.cancel();
        return;
      }
      if (ended || result.future().isComplete()) return;
      call.write(Payloads.wrap(RaftCodec.encodeSnapshotMessage(new SnapshotMessage.Chunk(offset, bytes))));
      offset += length;
      lastProgressMs = System.currentTimeMillis();
      pump();
    });
  }
}
