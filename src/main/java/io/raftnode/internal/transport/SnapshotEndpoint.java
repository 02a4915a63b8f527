package io.raftnode.internal.transport;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.grpc.GrpcMethod;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.grpc.ServerCall;
import io.raftnode.internal.model.SnapshotMessage;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.RaftServiceGrpcService;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The follower side of the Snapshot stream: Meta (checked like an AppendEntries: identity, vote, bounds; a stale
 * vote is answered at once), then chunks written to a temp file strictly in offset order (reading pauses while a
 * write is pending, so the leader's stream backs up instead of this node's memory), then Done with the checksum.
 * Any bad message ends the call with a status and deletes the temp file; the node's state is untouched until a
 * complete, verified snapshot is handed to it.
 */
public final class SnapshotEndpoint {
  private static final Logger LOG = Logger.getLogger(SnapshotEndpoint.class.getName());

  private SnapshotEndpoint() {}

  private static final GrpcMethod<RaftPayload, RaftPayload> METHOD =
      GrpcMethod.of(RaftServiceGrpcService.Snapshot, RaftPayload.parser());

  public static void bind(GrpcRoutes routes, SnapshotInbox inbox) {
    routes.bind(METHOD, call -> new Session(call, inbox).start());
  }

  private static final class Session {
    private final ServerCall<RaftPayload, RaftPayload> call;
    private final SnapshotInbox inbox;
    private SnapshotMessage.Meta meta;
    private SnapshotInbox.SnapshotSink sink;
    private long received;
    private boolean opening;
    private boolean done;
    private boolean closed;

    Session(ServerCall<RaftPayload, RaftPayload> call, SnapshotInbox inbox) {
      this.call = call;
      this.inbox = inbox;
    }

    void start() {
      call.handler(this::onMessage);
      call.endHandler(v -> {
        if (!done) fail(GrpcStatus.INVALID_ARGUMENT, "the Snapshot stream ended before its Done message");
      });
      call.cancelHandler(v -> abandon());
    }

    private void onMessage(RaftPayload payload) {
      if (closed) return;
      SnapshotMessage message;
      try {
        message = RaftCodec.decodeSnapshotMessage(payload.getData().toByteArray());
      } catch (CodecException e) {
        fail(GrpcStatus.INVALID_ARGUMENT, e.getMessage());
        return;
      }
      if (message instanceof SnapshotMessage.Meta m) {
        onMeta(m);
      } else if (meta == null || opening || done) {
        fail(GrpcStatus.INVALID_ARGUMENT, "SnapshotMessage: " + message.getClass().getSimpleName()
            + (done ? " after Done" : " before Meta"));
      } else if (message instanceof SnapshotMessage.Chunk c) {
        onChunk(c);
      } else {
        onDone((SnapshotMessage.Done) message);
      }
    }

    private void onMeta(SnapshotMessage.Meta m) {
      if (meta != null) {
        fail(GrpcStatus.INVALID_ARGUMENT, "SnapshotMessage.Meta: a stream carries one Meta, got a second");
        return;
      }
      try {
        PeerIdentity.check(call.connection(), m.vote().votedFor(), "Snapshot");
        PeerRequestChecks.checkSnapshotMeta(m);
      } catch (StatusException e) {
        fail(e.status(), e.message());
        return;
      }
      meta = m;
      if (m.vote().term() < inbox.currentVote().term()) {
        done = true; // a stale leader: its data is not wanted, its answer is our vote
        respond(new SnapshotResponse(inbox.currentVote()));
        return;
      }
      opening = true;
      call.pause();
      inbox.openSink(m).onComplete((opened, err) -> {
        opening = false;
        if (err != null) {
          fail(GrpcStatus.UNAVAILABLE, "cannot store the snapshot: " + err.getMessage());
        } else if (closed) {
          opened.discard();
        } else {
          sink = opened;
          call.resume();
        }
      });
    }

    private void onChunk(SnapshotMessage.Chunk c) {
      if (c.offset() != received) {
        fail(GrpcStatus.FAILED_PRECONDITION, "SnapshotMessage.Chunk.offset: expected " + received + ", got "
            + c.offset() + "; chunks must come in order without gaps");
        return;
      }
      if (c.offset() + c.data().length > meta.size()) {
        fail(GrpcStatus.INVALID_ARGUMENT, "SnapshotMessage.Chunk: bytes " + c.offset() + ".."
            + (c.offset() + c.data().length) + " run past the announced size " + meta.size());
        return;
      }
      received += c.data().length;
      call.pause();
      sink.write(c.data()).onComplete((v, err) -> {
        if (err != null) {
          fail(GrpcStatus.UNAVAILABLE, "cannot write the snapshot: " + err.getMessage());
        } else if (!closed) {
          call.resume();
        }
      });
    }

    private void onDone(SnapshotMessage.Done d) {
      if (received != meta.size()) {
        fail(GrpcStatus.INVALID_ARGUMENT, "SnapshotMessage.Done: " + received + " of the announced "
            + meta.size() + " bytes arrived");
        return;
      }
      if (d.checksum() != sink.crc()) {
        fail(GrpcStatus.INVALID_ARGUMENT, "SnapshotMessage.Done.checksum: " + Long.toHexString(d.checksum())
            + " does not match the data's CRC32C " + Long.toHexString(sink.crc()));
        return;
      }
      done = true;
      SnapshotInbox.SnapshotSink complete = sink;
      sink = null; // the node owns it from here on
      complete.finish()
          .compose(v -> inbox.onSnapshot(meta, complete))
          .onComplete((response, err) -> {
            if (err != null) {
              LOG.log(Level.FINE, "snapshot not installed", err);
              end(GrpcStatus.UNAVAILABLE, String.valueOf(err.getMessage()));
            } else {
              respond(response);
            }
          });
    }

    private void respond(SnapshotResponse response) {
      if (closed) return;
      closed = true;
      call.end(Payloads.wrap(RaftCodec.encodeSnapshotResponse(response)));
    }

    private void fail(GrpcStatus status, String message) {
      if (closed) return;
      LOG.fine("Snapshot stream refused: " + status + ": " + message);
      abandon();
      end(status, message);
    }

    private void end(GrpcStatus status, String message) {
      closed = true;
      call.end(status, message);
    }

    private void abandon() {
      if (sink != null) sink.discard();
      sink = null;
      if (!done) closed = true;
    }
  }
}
