package io.raftnode.internal.service;

import io.raftnode.internal.grpc.GrpcMethod;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.grpc.ServerCall;
import io.raftnode.proto.CallError;
import io.raftnode.proto.KvSessionServiceGrpcService;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.raftnode.proto.SessionResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * KvSessionService.Session: KvService calls multiplexed on one bidirectional stream. Each call is served exactly as
 * its unary twin (the same handlers, so the same checks, forwarding and exactly-once rules) and answered with its
 * call id as soon as it completes, so answers may overtake each other. A call that fails answers with the status the
 * unary call would have ended with, and the session goes on; a message that is not a SessionRequest ends the session
 * with INVALID_ARGUMENT (RESOURCE_EXHAUSTED when over the size limit: {@link ServerCall} answers both), since
 * nothing in it can be answered. On a
 * follower, the calls the leader must serve go to it on one session stream per client session ({@link
 * ForwardedSession}).
 *
 * <p>Answers that complete in the same event-loop turn (a batch of entries applying) go out as one SessionResponse,
 * written once the turn's work is done: one message with many answers costs one frame, one prefix and one write.
 *
 * <p>Backpressure: once {@link #MAX_CALLS_IN_FLIGHT} calls are outstanding, or while the answers cannot be written as
 * fast as they come, the server stops reading the stream and the client's writes back up. One message may carry at
 * most that many calls (more ends the session with RESOURCE_EXHAUSTED), so a session never has more than twice
 * the bound outstanding. The same holds while the leader's flow control refuses writes ({@link SessionAdmission}).
 */
final class KvSessionEndpoint {
  private static final Logger LOG = Logger.getLogger(KvSessionEndpoint.class.getName());
  static final int MAX_CALLS_IN_FLIGHT = 4096;
  /**
   * Answers ready together are split into messages of about this size (one larger answer goes alone), so a burst of
   * answers never makes a message bigger than a client accepts by default (Vert.x's gRPC client: 256 KiB).
   */
  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private KvSessionEndpoint() {}

  private static final GrpcMethod<SessionRequest, SessionResponse> SESSION =
      GrpcMethod.of(KvSessionServiceGrpcService.Session, SessionRequest.parser());

  static void bind(GrpcRoutes routes, KvApi.Handlers handlers) {
    routes.bind(SESSION, call -> new Session(call, handlers).start());
  }

  private static final class Session {
    private final ServerCall<SessionRequest, SessionResponse> call;
    private final KvApi.Handlers handlers;
    private final boolean forwarded;
    /** The stream's deadline bounds each of its calls ({@link ServerCall} ends the whole stream when it passes). */
    private final CallDeadline deadline;
    /** How this session's calls that the leader must serve reach it: on one session stream of their own. */
    private final ForwardedSession toLeader;
    /** Answers completed this turn and not yet written. */
    private final List<SessionAnswer> ready = new ArrayList<>();
    private final SessionAdmission admission;
    private int inFlight;
    private boolean paused;
    private boolean inputEnded;
    private boolean closed;

    Session(ServerCall<SessionRequest, SessionResponse> call, KvApi.Handlers handlers) {
      this.call = call;
      this.handlers = handlers;
      this.forwarded = KvApi.forwarded(call);
      this.deadline = CallDeadline.of(call);
      this.toLeader = new ForwardedSession(handlers.node().vertx(), handlers.forwarder(), handlers.forwardingHeaders(),
          deadline, handlers.unaryLeaderCalls(), this::pause, this::resumeIfRoom);
      this.admission = new SessionAdmission(handlers.node(), this::resumeIfRoom);
    }

    void start() {
      call.handler(this::onMessage);
      call.endHandler(v -> {
        inputEnded = true;
        endIfDone();
      });
      // The stream's deadline passed (the call answered it), or the client reset the stream or went away: answers
      // that complete later are not written.
      call.cancelHandler(v -> abandoned());
      call.drainHandler(v -> resumeIfRoom());
    }

    /** The stream ended without the client waiting for its answers: drop them, and the stream to the leader. */
    private void abandoned() {
      closed = true;
      toLeader.close(true);
    }

    private void onMessage(SessionRequest request) {
      if (closed) return;
      if (request.getCallsCount() > MAX_CALLS_IN_FLIGHT) {
        end(GrpcStatus.RESOURCE_EXHAUSTED, "a SessionRequest carries at most " + MAX_CALLS_IN_FLIGHT + " calls, this one "
            + request.getCallsCount());
        return;
      }
      inFlight += request.getCallsCount();
      if (inFlight >= MAX_CALLS_IN_FLIGHT) pause();
      for (SessionCall call : request.getCallsList()) {
        long callId = call.getCallId();
        serve(call).onComplete((answer, err) -> {
          inFlight--;
          if (closed) return;
          if (err != null && admission.holdIfRefused(err)) pause();
          answerLater(err == null ? answer : failure(callId, err));
        });
      }
    }

    /** Queues an answer; the first one queued in a turn schedules the write of all of them after that turn. */
    private void answerLater(SessionAnswer answer) {
      ready.add(answer);
      if (ready.size() == 1) {
        Context here = Vertx.currentContext();
        if (here == null) {
          writeReady();
        } else {
          here.runOnContext(v -> writeReady());
        }
      }
    }

    private void writeReady() {
      if (closed || ready.isEmpty()) return;
      SessionResponse.Builder message = SessionResponse.newBuilder();
      int bytes = 0;
      for (SessionAnswer answer : ready) {
        int size = answer.getSerializedSize();
        if (message.getAnswersCount() > 0 && bytes + size > MAX_RESPONSE_BYTES) {
          call.write(message.build());
          message.clear();
          bytes = 0;
        }
        message.addAnswers(answer);
        bytes += size;
      }
      call.write(message.build());
      ready.clear();
      if (call.writeQueueFull()) {
        pause();
      } else {
        resumeIfRoom();
      }
      endIfDone();
    }

    private Future<SessionAnswer> serve(SessionCall request) {
      SessionAnswer.Builder answer = SessionAnswer.newBuilder().setCallId(request.getCallId());
      CallDeadline deadline = this.deadline.atMost(request.getTimeoutMs());
      try {
        switch (request.getCallCase()) {
          case PUT:
            return handlers.put(forwarded, deadline, toLeader, request.getPut()).map(r -> answer.setPut(r).build());
          case GET:
            return handlers.get(forwarded, deadline, toLeader, request.getGet()).map(r -> answer.setGet(r).build());
          case DELETE:
            return handlers.delete(forwarded, deadline, toLeader, request.getDelete()).map(r -> answer.setDelete(r).build());
          case COMPARE_AND_SWAP:
            return handlers.compareAndSwap(forwarded, deadline, toLeader, request.getCompareAndSwap())
                .map(r -> answer.setCompareAndSwap(r).build());
          default:
            return Future.failedFuture(ClientErrors.invalid("session call " + request.getCallId() + " names no operation"));
        }
      } catch (RuntimeException e) { // the handlers' synchronous checks throw StatusException
        return Future.failedFuture(e);
      }
    }

    /** The unary call's status and trailers, as a CallError. */
    private static SessionAnswer failure(long callId, Throwable err) {
      CallError error;
      if (err instanceof ClientFailure failure) {
        error = failure.toCallError();
      } else if (err instanceof StatusException s) {
        error = CallError.newBuilder().setCode(s.status().code).setMessage(s.message() == null ? "" : s.message()).build();
      } else {
        LOG.log(Level.WARNING, "unexpected failure serving a session call", err);
        error = CallError.newBuilder().setCode(GrpcStatus.INTERNAL.code).setMessage("internal error: " + err).build();
      }
      return SessionAnswer.newBuilder().setCallId(callId).setError(error).build();
    }

    private void pause() {
      if (!paused) {
        paused = true;
        call.pause();
      }
    }

    private void resumeIfRoom() {
      if (paused && !closed && inFlight < MAX_CALLS_IN_FLIGHT && !call.writeQueueFull() && !toLeader.full()
          && !admission.holding()) {
        paused = false;
        call.resume();
      }
    }

    private void endIfDone() {
      if (!closed && inputEnded && inFlight == 0 && ready.isEmpty()) end(GrpcStatus.OK, null);
    }

    private void end(GrpcStatus status, String message) {
      if (closed) return;
      closed = true;
      toLeader.close(status != GrpcStatus.OK);
      call.end(status, message);
    }
  }
}
