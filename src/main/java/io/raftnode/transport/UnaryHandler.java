package io.raftnode.transport;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.InvalidMessageException;
import io.vertx.grpc.common.MessageSizeOverflowException;
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
 * bug on a request path answers the caller instead of leaving it hanging. A message over the size limit is
 * answered RESOURCE_EXHAUSTED, one that does not parse INVALID_ARGUMENT.
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
    return request -> request.invalidMessageHandler(invalid -> refuseInvalid(request, invalid)).handler(message -> {
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

  /**
   * A message larger than the server's limit, or one that is not the method's protobuf type, never reaches the
   * service. Without this handler the stream would just be reset, which a client cannot tell from a network fault.
   */
  private static void refuseInvalid(GrpcServerRequest<?, ?> request, InvalidMessageException invalid) {
    GrpcServerResponse<?, ?> response = request.response();
    if (invalid instanceof MessageSizeOverflowException overflow) {
      response.status(GrpcStatus.RESOURCE_EXHAUSTED).statusMessage("message of " + overflow.messageSize()
          + " bytes is larger than this server accepts").end();
    } else {
      response.status(GrpcStatus.INVALID_ARGUMENT).statusMessage("malformed message: " + invalid.getMessage()).end();
    }
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
