package io.raftnode.internal.service;

import io.raftnode.internal.grpc.ServerCall;
import io.vertx.core.Future;

/**
 * Puts a failed unary call's {@link ClientFailure} detail into its response trailers, beside the status that
 * {@link io.raftnode.internal.grpc.UnaryCalls} ends the call with.
 *
 * <p>A call whose deadline passes is answered DEADLINE_EXCEEDED by {@link ServerCall}, below this layer and
 * without these trailers; for a write that status alone means "outcome unknown" (README, "Errors").
 */
final class UnaryAnswers {
  private UnaryAnswers() {}

  static <Resp> Future<Resp> answer(ServerCall<?, ?> call, Future<Resp> result) {
    return result.transform(done -> {
      if (done.failed() && done.cause() instanceof ClientFailure failure) {
        failure.writeTo(call.trailers());
        return Future.failedFuture(failure.toStatusException());
      }
      return done.succeeded() ? Future.succeededFuture(done.result()) : Future.failedFuture(done.cause());
    });
  }
}
