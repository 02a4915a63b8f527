package io.raftnode.internal.service;

import io.raftnode.proto.CallError;
import io.raftnode.proto.KvSessionServiceGrpcService;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.raftnode.proto.SessionResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
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
 * with INVALID_ARGUMENT (RESOURCE_EXHAUSTED when over the size limit), since nothing in it can be answered. On a
 * follower, the calls the leader must serve go to it on one session stream per client session ({@link
 * ForwardedSession}).
 *
 * <p>Answers that complete in the same event-loop turn (a batch of entries applying) go out as one SessionResponse,
 * written once the turn's work is done. Batching matters beyond the framing: Vert.x's gRPC reader copies the rest of
 * an HTTP/2 data frame after each message it takes from it, so a frame packed with many small messages costs time
 * quadratic in their number, where one message with many answers costs one copy.
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

  static void bind(GrpcServer server, KvApi.Handlers handlers) {
    server.callHandler(KvSessionServiceGrpcService.Session, call -> new Session(call, handlers).start());
  }

  private static final class Session {
    private final GrpcServerRequest<SessionRequest, SessionResponse> call;
    private final GrpcServerResponse<SessionRequest, SessionResponse> response;
    private final KvApi.Handlers handlers;
    private final boolean forwarded;
    /** The stream's deadline bounds each of its calls (Vert.x ends the whole stream when it passes). */
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

    Session(GrpcServerRequest<SessionRequest, SessionResponse> call, KvApi.Handlers handlers) {
      this.call = call;
      this.response = call.response();
      this.handlers = handlers;
      this.forwarded = KvApi.forwarded(call);
      this.deadline = CallDeadline.of(call);
      this.toLeader = new ForwardedSession(handlers.node().vertx(), handlers.forwarder(), handlers.forwardingHeaders(),
          deadline, handlers.unaryLeaderCalls(), this::pause, this::resumeIfRoom);
      this.admission = new SessionAdmission(handlers.node(), this::resumeIfRoom);
    }

    void start() {
      call.invalidMessageHandler(invalid -> end(invalid instanceof MessageSizeOverflowException
          ? GrpcStatus.RESOURCE_EXHAUSTED : GrpcStatus.INVALID_ARGUMENT, "bad session message: " + invalid.getMessage()));
      // Decoded here rather than by call.handler(), which would cancel the stream on a protobuf error.
      call.messageHandler(this::onMessage);
      call.endHandler(v -> {
        inputEnded = true;
        endIfDone();
      });
      // When the stream's deadline passes, transport.GrpcStreamGuard ends it with DEADLINE_EXCEEDED and fails its
      // read side, which comes here: answers that complete later must not be written.
      call.exceptionHandler(e -> abandoned());
      response.exceptionHandler(e -> abandoned());
      // A reset of the stream (the client cancelled, or went away) comes here, not to the exception handlers;
      // answers still to come must then not be written (the write would throw).
      call.errorHandler(error -> abandoned());
      response.drainHandler(v -> resumeIfRoom());
    }

    /** The stream ended without the client waiting for its answers: drop them, and the stream to the leader. */
    private void abandoned() {
      closed = true;
      toLeader.close(true);
    }

    private void onMessage(GrpcMessage message) {
      if (closed) return;
      SessionRequest request;
      try {
        request = KvSessionServiceGrpcService.Session.decoder().decode(message);
      } catch (RuntimeException e) {
        end(GrpcStatus.INVALID_ARGUMENT, "malformed SessionRequest: " + e.getMessage());
        return;
      }
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
          response.write(message.build());
          message.clear();
          bytes = 0;
        }
        message.addAnswers(answer);
        bytes += size;
      }
      response.write(message.build());
      ready.clear();
      if (response.writeQueueFull()) {
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
      if (paused && !closed && inFlight < MAX_CALLS_IN_FLIGHT && !response.writeQueueFull() && !toLeader.full()
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
      response.status(status);
      if (message != null) response.statusMessage(message);
      response.end();
    }
  }
}
