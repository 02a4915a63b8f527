package io.raftnode.internal.service;

import io.raftnode.RaftNode;
import io.raftnode.internal.node.InternalNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;

/**
 * Decides when a session stops reading because of the leader's flow control, and when it reads again. A call
 * refused with RESOURCE_EXHAUSTED and a retry hint (the leader holds its bound of writes not yet applied) holds the
 * session's reading: HTTP/2 flow control then holds the client back instead of the session taking calls that
 * would be refused too. Reading resumes when the leader has room again: on the leader itself when the bytes it
 * holds fell to half its bound ({@link RaftNode#proposalRoom()}); on a follower, which forwards the calls and
 * cannot watch the leader's bound, after the hint's delay.
 *
 * <p>Used on the session's event loop.
 */
final class SessionAdmission {
  private final InternalNode node;
  private final Runnable resume;
  private boolean holding;

  /** @param resume runs on the session's context when reading may resume (the session checks its other reasons) */
  SessionAdmission(InternalNode node, Runnable resume) {
    this.node = node;
    this.resume = resume;
  }

  /** Whether {@code err} is flow control's refusal; if so the session holds its reading until there is room. */
  boolean holdIfRefused(Throwable err) {
    if (!(err instanceof ClientFailure f) || f.status() != GrpcStatus.RESOURCE_EXHAUSTED || f.retryAfterMs() == 0) {
      return false;
    }
    if (holding) return true;
    holding = true;
    Context session = Vertx.currentContext();
    node.knownLeader()
        .compose(leader -> leader.id() == node.nodeId() ? node.proposalRoom() : after(f.retryAfterMs()))
        .onComplete(room -> {
          if (session == null) release();
          else session.runOnContext(v -> release());
        });
    return true;
  }

  /** The session must not read while this holds. */
  boolean holding() {
    return holding;
  }

  private void release() {
    holding = false;
    resume.run();
  }

  private Future<Void> after(long ms) {
    Promise<Void> elapsed = Promise.promise();
    node.vertx().setTimer(ms, id -> elapsed.tryComplete());
    return elapsed.future();
  }
}
