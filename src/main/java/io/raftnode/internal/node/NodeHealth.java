package io.raftnode.internal.node;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.grpc.health.v1.HealthProto;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * {@code grpc.health.v1.Health} Check and Watch for service {@code ""}, the node as a whole, with the messages of
 * vertx-grpc-health. The library's own handlers answer SERVING for {@code ""} whatever check is registered, so the
 * node serves these two methods itself. Other service names are not known: Check fails NOT_FOUND, Watch sends
 * SERVICE_UNKNOWN (as the protocol asks).
 */
final class NodeHealth {
  static final ServiceDescriptor DESCRIPTOR = HealthProto.getDescriptor().findServiceByName("Health");
  private static final ServiceName NAME = ServiceName.create("grpc.health.v1.Health");
  private static final ServiceMethod<HealthCheckRequest, HealthCheckResponse> CHECK = ServiceMethod.server(NAME,
      "Check", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckRequest.newBuilder()));
  private static final ServiceMethod<HealthCheckRequest, HealthCheckResponse> WATCH = ServiceMethod.server(NAME,
      "Watch", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckRequest.newBuilder()));

  private final Vertx vertx;
  private final Supplier<Future<Boolean>> serving;
  private final Duration watchInterval;

  NodeHealth(Vertx vertx, Supplier<Future<Boolean>> serving, Duration watchInterval) {
    this.vertx = vertx;
    this.serving = serving;
    this.watchInterval = watchInterval;
  }

  void bind(GrpcServer server) {
    server.callHandler(CHECK, call -> call.handler(request -> check(call, request)));
    server.callHandler(WATCH, call -> call.handler(request -> watch(call, request)));
  }

  private void check(GrpcServerRequest<HealthCheckRequest, HealthCheckResponse> call, HealthCheckRequest request) {
    GrpcServerResponse<HealthCheckRequest, HealthCheckResponse> response = call.response();
    if (!request.getService().isEmpty()) {
      response.status(GrpcStatus.NOT_FOUND).statusMessage("unknown service \"" + request.getService() + "\"").end();
      return;
    }
    status().onSuccess(status -> response.end(message(status)));
  }

  /** Sends the status now and then each change, until the client goes away. */
  private void watch(GrpcServerRequest<HealthCheckRequest, HealthCheckResponse> call, HealthCheckRequest request) {
    GrpcServerResponse<HealthCheckRequest, HealthCheckResponse> response = call.response();
    if (!request.getService().isEmpty()) {
      response.write(message(ServingStatus.SERVICE_UNKNOWN));
      return;
    }
    ServingStatus[] last = {null};
    boolean[] closed = {false};
    long timer = vertx.setPeriodic(0, watchInterval.toMillis(), id -> {
      if (closed[0]) return;
      status().onSuccess(status -> {
        if (closed[0] || status == last[0]) return;
        last[0] = status;
        response.write(message(status));
      });
    });
    Runnable stop = () -> {
      closed[0] = true;
      vertx.cancelTimer(timer);
    };
    call.errorHandler(error -> stop.run());
    call.exceptionHandler(e -> stop.run());
    response.exceptionHandler(e -> stop.run());
    call.connection().closeHandler(v -> stop.run());
  }

  private Future<ServingStatus> status() {
    return serving.get().otherwise(false).map(ok -> ok ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  private static HealthCheckResponse message(ServingStatus status) {
    return HealthCheckResponse.newBuilder().setStatus(status).build();
  }
}
