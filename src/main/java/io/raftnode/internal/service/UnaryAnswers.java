package io.raftnode.internal.service;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * Puts a failed unary call's {@link ClientFailure} detail into its response trailers, beside the status that
 * {@link io.raftnode.internal.transport.UnaryHandler} ends the call with.
 *
 * <p>A call whose deadline passes is answered DEADLINE_EXCEEDED by transport.GrpcStreamGuard, below this layer and
 * without these trailers; for a write that status alone means "outcome unknown" (README, "Errors").
 */
final class UnaryAnswers {
  /** What clears the detail: success, or a failure that carries none (a refused request). */
  private static final ClientFailure NO_DETAIL = new ClientFailure(GrpcStatus.OK, "", null);

  private UnaryAnswers() {}

  static <Resp> Future<Resp> answer(GrpcServerRequest<?, ?> call, Future<Resp> result) {
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

  /** The response's trailers, or null once it has ended (its deadline passed first). */
  private static MultiMap trailersIfOpen(GrpcServerResponse<?, ?> response) {
    try {
      return response.trailers();
    } catch (IllegalStateException ended) {
      return null;
    }
  }
}
