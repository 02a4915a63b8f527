package io.raftnode.transport;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves one unary gRPC method from a {@code request -> Future<response>} function. A failure carrying a
 * {@link StatusException} becomes that status and message; anything else becomes INTERNAL and is logged, so a
 * bug on a request path answers the caller instead of leaving it hanging.
 */
public final class UnaryHandler {
  private static final Logger LOG = Logger.getLogger(UnaryHandler.class.getName());

  private UnaryHandler() {}

  public static <Req, Resp> Handler<GrpcServerRequest<Req, Resp>> of(Function<Req, Future<Resp>> service) {
    return withCall((call, message) -> service.apply(message));
  }

  /** Like {@link #of} for services that also read the call's metadata or deadline. */
  public static <Req, Resp> Handler<GrpcServerRequest<Req, Resp>> withCall(
      BiFunction<GrpcServerRequest<Req, Resp>, Req, Future<Resp>> service) {
    return request -> request.handler(message -> {
      Future<Resp> result;
      try {
        result = service.apply(request, message);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete((value, err) -> {
        GrpcServerResponse<Req, Resp> response = request.response();
        if (err == null) {
          response.end(value);
        } else {
          endWithError(response, request.fullMethodName(), err);
        }
      });
    });
  }

  private static void endWithError(GrpcServerResponse<?, ?> response, String method, Throwable err) {
    if (err instanceof StatusException status) {
      response.status(status.status()).statusMessage(status.message()).end();
    } else {
      LOG.log(Level.WARNING, "unexpected failure serving " + method, err);
      response.status(GrpcStatus.INTERNAL).statusMessage("internal error: " + err).end();
    }
  }
}
