package io.raftnode.internal.transport;

import io.raftnode.internal.grpc.StatusWithTrailers;
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
 * protobuf type INVALID_ARGUMENT. A unary call carries exactly one request message, served once the client has
 * ended its side: a call that ends without one, or sends a second, is INTERNAL and runs nothing (as gRPC servers
 * answer it), where Vert.x would wait forever or answer twice. A call that ended without this handler (the client
 * reset it, or {@link GrpcStreamGuard} refused it or saw its deadline pass) gets no answer written when its
 * service completes.
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
    server.callHandler(method, request -> new Call<>(request, method, service).start());
  }

  private static final class Call<Req, Resp> {
    private final GrpcServerRequest<Req, Resp> request;
    private final ServiceMethod<Req, Resp> method;
    private final BiFunction<GrpcServerRequest<Req, Resp>, Req, Future<Resp>> service;
    /** The request message, held until the client ends its side: only then is it known to be the only one. */
    private Req received;
    /** The response has ended, or must not be written: the stream is over. */
    private boolean over;

    Call(GrpcServerRequest<Req, Resp> request, ServiceMethod<Req, Resp> method,
        BiFunction<GrpcServerRequest<Req, Resp>, Req, Future<Resp>> service) {
      this.request = request;
      this.method = method;
      this.service = service;
    }

    void start() {
      request.invalidMessageHandler(invalid -> {
        if (over) return;
        over = true;
        refuseInvalid(request, invalid);
      });
      // Decoded here rather than by request.handler(), which cancels the stream on a protobuf error.
      request.messageHandler(this::onMessage);
      request.endHandler(v -> onEnd());
      request.exceptionHandler(e -> over = true);
      request.errorHandler(error -> over = true);
    }

    private void onMessage(GrpcMessage message) {
      if (over) return;
      if (received != null) {
        end(GrpcStatus.INTERNAL, method.methodName() + " is unary: the call carries one request, this is a second");
        return;
      }
      Future<Req> decoded = decode(method, message);
      if (decoded.failed()) {
        answer(decoded.mapEmpty());
      } else {
        received = decoded.result();
      }
    }

    private void onEnd() {
      if (over) return;
      if (received == null) {
        end(GrpcStatus.INTERNAL, "the call ended without its " + method.methodName() + " request");
        return;
      }
      Future<Resp> served;
      try {
        served = service.apply(request, received);
      } catch (RuntimeException e) {
        served = Future.failedFuture(e);
      }
      answer(served);
    }

    private void answer(Future<Resp> served) {
      served.onComplete((value, err) -> {
        if (over) return;
        over = true;
        writeIfOpen(() -> {
          if (err == null) {
            request.response().end(value);
          } else {
            endWithError(request.response(), request.fullMethodName(), err);
          }
        });
      });
    }

    private void end(GrpcStatus status, String message) {
      over = true;
      writeIfOpen(() -> request.response().status(status).statusMessage(message).end());
    }

    /**
     * Writes the answer unless the stream is over already: {@link GrpcStreamGuard} may have answered it at its
     * deadline, or the client reset it, without Vert.x telling this call. Vert.x then refuses the write with an
     * exception (IllegalStateException, or a NullPointerException once the stream is closed), which must not reach
     * whoever completed the service's future: for a write, that is the node's Raft loop.
     */
    private void writeIfOpen(Runnable write) {
      try {
        write.run();
      } catch (RuntimeException e) {
        LOG.fine(() -> method.methodName() + ": the stream ended before its answer could be written: " + e);
      }
    }
  }

  private static <Req> Future<Req> decode(ServiceMethod<Req, ?> method, GrpcMessage message) {
    try {
      return Future.succeededFuture(method.decoder().decode(message));
    } catch (RuntimeException e) { // CodecException, or whatever a generated parser throws
      return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT,
          "malformed " + method.methodName() + " request: " + e.getMessage()));
    }
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
