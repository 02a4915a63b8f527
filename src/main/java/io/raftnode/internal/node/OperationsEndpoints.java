package io.raftnode.internal.node;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * What an operator probes a node with: the standard gRPC health and reflection services on the client port, and
 * Prometheus text on {@code GET /metrics} of the metrics address (docs/OPERATIONS.md).
 */
public final class OperationsEndpoints {
  /** How often the health service re-checks the node for its Watch streams. */
  static final Duration HEALTH_WATCH_INTERVAL = Duration.ofMillis(500);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private OperationsEndpoints() {}

  /**
   * Binds {@code grpc.health.v1.Health} (service {@code ""} is SERVING while {@code serving} says so) and server
   * reflection listing {@code described} and the two services themselves. Call after the other services are bound.
   */
  public static void bindHealthAndReflection(Vertx vertx, GrpcServer server, Supplier<Future<Boolean>> serving,
      List<ServiceDescriptor> described) {
    described.forEach(descriptor -> server.addService(new DescribedOnly(descriptor)));
    new NodeHealth(vertx, serving, HEALTH_WATCH_INTERVAL).bind(server);
    server.addService(new DescribedOnly(NodeHealth.DESCRIPTOR));
    server.addService(ReflectionService.v1());
  }

  /** Serves {@code GET /metrics}: the node's meters, then Vert.x's own when Vert.x runs with Micrometer metrics. */
  public static Future<HttpServer> listenMetrics(Vertx vertx, io.raftnode.HostAndPort address,
      Supplier<Future<String>> scrapeNode) {
    return vertx.createHttpServer().requestHandler(request -> answer(request, scrapeNode))
        .listen(address.port(), address.host());
  }

  private static void answer(HttpServerRequest request, Supplier<Future<String>> scrapeNode) {
    if (!request.path().equals("/metrics")) {
      request.response().setStatusCode(404).end("raftnode serves GET /metrics here\n");
      return;
    }
    scrapeNode.get().onComplete((text, err) -> {
      if (err != null) {
        request.response().setStatusCode(503).end("metrics unavailable: " + err.getMessage() + "\n");
        return;
      }
      request.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(text + vertxMetrics());
    });
  }

  private static String vertxMetrics() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : "";
  }

  /** A service listed by reflection whose methods are bound elsewhere (by its ClientService's handlers). */
  private record DescribedOnly(ServiceDescriptor descriptor) implements Service {
    @Override
    public ServiceName name() {
      return ServiceName.create(descriptor.getFullName());
    }

    @Override
    public void bind(GrpcServer server) {}
  }
}
