package io.raftnode.transport;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.InvalidMessageException;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves one unary gRPC method from a {@code request -> Future<response>} function. A failure carrying a
 * {@link StatusException} becomes that status and message ({@link StatusWithTrailers}: with its trailers too);
 * anything else becomes INTERNAL and is logged, so a bug on a request path answers the caller instead of leaving
 * it hanging.
 *
 * <p>Bad messages get a status too, where Vert.x would only reset the stream (which a client cannot tell from a
 * network fault): a message over the server's size limit is RESOURCE_EXHAUSTED, one that is not the method's
 * protobuf type INVALID_ARGUMENT.
 */
public final class UnaryHandler {
  private static final Logger LOG = Logger.getLogger(UnaryHandler.class.getName());

  private UnaryHandler() {}

  public static <Req, Resp> void serve(GrpcServer server, ServiceMethod<Req, Resp> method,
      Function<Req, Future<Resp>> service) {
    serve(server, method, (call, message) -> service.apply(message));
  }

  /** Like the other {@code serve} for services that also read the call's metadata, connection or deadline. */
  public static <Req, Resp> void serve(GrpcServer server, ServiceMethod<Req, Resp> method,
      BiFunction<GrpcServerRequest<Req, Resp>, Req, Future<Resp>> service) {
    server.callHandler(method, request -> request
        .invalidMessageHandler(invalid -> refuseInvalid(request, invalid))
        // Decoded here rather than by request.handler(), which cancels the stream on a protobuf error.
        .messageHandler(message -> handle(request, decode(method, message), service)));
  }

  private static <Req> Future<Req> decode(ServiceMethod<Req, ?> method, GrpcMessage message) {
    try {
      return Future.succeededFuture(method.decoder().decode(message));
    } catch (RuntimeException e) { // CodecException, or whatever a generated parser throws
      return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT,
          "malformed " + method.methodName() + " request: " + e.getMessage()));
    }
  }

  private static <Req, Resp> void handle(GrpcServerRequest<Req, Resp> request, Future<Req> decoded,
      BiFunction<GrpcServerRequest<Req, Resp>, Req, Future<Resp>> service) {
    decoded.compose(message -> {
      try {
        return service.apply(request, message);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }).onComplete((value, err) -> {
      GrpcServerResponse<Req, Resp> response = request.response();
      if (err == null) {
        response.end(value);
      } else {
        endWithError(response, request.fullMethodName(), err);
      }
    });
  }

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
    } else if (err instanceof StatusWithTrailers detailed) {
      detailed.trailers().forEach((name, value) -> response.trailers().set(name, value));
      response.status(detailed.status()).statusMessage(detailed.statusMessage()).end();
    } else {
      LOG.log(Level.WARNING, "unexpected failure serving " + method, err);
      response.status(GrpcStatus.INTERNAL).statusMessage("internal error: " + err).end();
    }
  }
}
