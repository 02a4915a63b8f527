package io.raftnode.api;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * Puts a failed unary call's {@link ClientFailure} detail into its response trailers, beside the status that
 * {@link io.raftnode.transport.UnaryHandler} ends the call with.
 *
 * <p>When a client's deadline passes, Vert.x answers DEADLINE_EXCEEDED by itself with whatever status message and
 * trailers the response holds by then (GrpcServerOptions.setScheduleDeadlineAutomatically). A write with a
 * deadline therefore starts out holding "outcome unknown", which its own answer replaces.
 */
final class UnaryAnswers {
  private static final ClientFailure DEADLINE_PASSED = new ClientFailure(GrpcStatus.DEADLINE_EXCEEDED,
      "the deadline passed before the write was answered; outcome unknown", ClientFailure.Reason.OUTCOME_UNKNOWN);

  private UnaryAnswers() {}

  static <Resp> Future<Resp> write(GrpcServerRequest<?, ?> call, Future<Resp> result) {
    if (call.timeout() > 0) {
      GrpcServerResponse<?, ?> response = call.response();
      response.statusMessage(DEADLINE_PASSED.statusMessage());
      DEADLINE_PASSED.writeTo(response.trailers());
    }
    return finish(call, result);
  }

  /** Any other call: a read, an admin call. */
  static <Resp> Future<Resp> answer(GrpcServerRequest<?, ?> call, Future<Resp> result) {
    return finish(call, result);
  }

  private static <Resp> Future<Resp> finish(GrpcServerRequest<?, ?> call, Future<Resp> result) {
    return result.transform(done -> {
      ClientFailure failure = done.failed() && done.cause() instanceof ClientFailure f ? f : null;
      MultiMap trailers = trailersIfOpen(call.response());
      if (trailers != null) {
        if (failure != null) failure.writeTo(trailers);
        else NO_DETAIL.writeTo(trailers);
      }
      if (failure != null) return Future.failedFuture(failure.toStatusException());
      return done.succeeded() ? Future.succeededFuture(done.result()) : Future.failedFuture(done.cause());
    });
  }

  /** What clears the detail: success, or a failure that carries none (a refused request). */
  private static final ClientFailure NO_DETAIL = new ClientFailure(GrpcStatus.OK, "", null);

  /** The response's trailers, or null once it has ended (its deadline passed first). */
  private static MultiMap trailersIfOpen(GrpcServerResponse<?, ?> response) {
    try {
      return response.trailers();
    } catch (IllegalStateException ended) {
      return null;
    }
  }
}
