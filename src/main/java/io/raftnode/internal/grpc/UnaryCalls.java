package io.raftnode.internal.grpc;

import com.google.protobuf.MessageLite;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves a unary method from a {@code request -> Future<response>} function. A failure carrying a
 * {@link StatusException} becomes that status and message ({@link StatusWithTrailers}: with its trailers too);
 * anything else becomes INTERNAL and is logged, so a bug on a request path answers the caller instead of leaving
 * it hanging. A unary call carries exactly one request message, served once the client has ended its side: a call
 * that ends without one, or sends a second, is INTERNAL and runs nothing (as gRPC servers answer it). A call that is
 * over before its service completes (its deadline passed, the client reset it) gets nothing more written.
 */
public final class UnaryCalls {
  private static final Logger LOG = Logger.getLogger(UnaryCalls.class.getName());

  private UnaryCalls() {}

  public static <Req extends MessageLite, Resp extends MessageLite> void serve(GrpcRoutes routes,
      GrpcMethod<Req, Resp> method, Function<Req, Future<Resp>> service) {
    serve(routes, method, (call, request) -> service.apply(request));
  }

  /** Like the other {@code serve} for services that also read the call's metadata, connection or deadline. */
  public static <Req extends MessageLite, Resp extends MessageLite> void serve(GrpcRoutes routes,
      GrpcMethod<Req, Resp> method, BiFunction<ServerCall<Req, Resp>, Req, Future<Resp>> service) {
    routes.bind(method, call -> new Call<>(call, service).start());
  }

  private static final class Call<Req extends MessageLite, Resp extends MessageLite> {
    private final ServerCall<Req, Resp> call;
    private final BiFunction<ServerCall<Req, Resp>, Req, Future<Resp>> service;
    /** The request message, held until the client ends its side: only then is it known to be the only one. */
    private Req received;

    Call(ServerCall<Req, Resp> call, BiFunction<ServerCall<Req, Resp>, Req, Future<Resp>> service) {
      this.call = call;
      this.service = service;
    }

    void start() {
      call.handler(this::onMessage);
      call.endHandler(v -> onEnd());
    }

    private void onMessage(Req message) {
      if (received != null) {
        call.end(GrpcStatus.INTERNAL, call.methodName() + " is unary: the call carries one request, this is a second");
        return;
      }
      received = message;
    }

    private void onEnd() {
      if (received == null) {
        call.end(GrpcStatus.INTERNAL, "the call ended without its " + call.methodName() + " request");
        return;
      }
      Future<Resp> served;
      try {
        served = service.apply(call, received);
      } catch (RuntimeException e) {
        served = Future.failedFuture(e);
      }
      served.onComplete((value, err) -> {
        if (err == null) {
          call.end(value);
        } else {
          endWithError(err);
        }
      });
    }

    private void endWithError(Throwable err) {
      if (err instanceof StatusException status) {
        call.end(status.status(), status.message());
      } else if (err instanceof StatusWithTrailers detailed) {
        detailed.trailers().forEach((name, value) -> call.trailers().set(name, value));
        call.end(detailed.status(), detailed.statusMessage());
      } else {
        LOG.log(Level.WARNING, "unexpected failure serving " + call.methodName(), err);
        call.end(GrpcStatus.INTERNAL, "internal error: " + err);
      }
    }
  }
}
