package io.raftnode.internal.grpc;

import com.google.protobuf.MessageLite;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.common.GrpcStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The request handler of a port whose gRPC methods the node serves itself, on Vert.x's public HTTP server API: each
 * HTTP/2 request is routed by its {@code :path} to the handler bound for that method, as a {@link ServerCall}.
 * Requests for any other service go to the {@code fallback} handler (Vert.x's gRPC server, for the health and
 * reflection services and an application's own), or are answered UNIMPLEMENTED when there is none; a method the
 * node does not serve of a service it does is UNIMPLEMENTED too. The node speaks gRPC over HTTP/2 only: its
 * methods take application/grpc and application/grpc+proto and refuse HTTP/1.1, gRPC-Web and other content
 * types with HTTP 415, as gRPC servers do.
 */
public final class GrpcRoutes implements Handler<HttpServerRequest> {
  private final long maxMessageBytes;
  private final Handler<HttpServerRequest> fallback;
  private final Map<String, Route<?, ?>> routes = new HashMap<>();
  private final Set<String> services = new HashSet<>();

  private record Route<Req extends MessageLite, Resp extends MessageLite>(GrpcMethod<Req, Resp> method,
      Handler<ServerCall<Req, Resp>> handler) {}

  /** Routes with requests of at most {@code maxMessageBytes} per message; others go to {@code fallback} (or null). */
  public GrpcRoutes(long maxMessageBytes, Handler<HttpServerRequest> fallback) {
    this.maxMessageBytes = maxMessageBytes;
    this.fallback = fallback;
  }

  /** Serves {@code method} with {@code handler}, which sets up each call's handlers. */
  public <Req extends MessageLite, Resp extends MessageLite> GrpcRoutes bind(GrpcMethod<Req, Resp> method,
      Handler<ServerCall<Req, Resp>> handler) {
    if (routes.putIfAbsent(method.path(), new Route<>(method, handler)) != null) {
      throw new IllegalStateException(method.path() + " is bound twice");
    }
    services.add(method.service());
    return this;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    Route<?, ?> route = routes.get(path);
    if (route == null && fallback != null && !services.contains(serviceOf(path))) {
      fallback.handle(request);
      return;
    }
    if (request.version() != HttpVersion.HTTP_2 || !isGrpc(request.getHeader("content-type"))) {
      request.response().setStatusCode(415).end();
      return;
    }
    if (route == null) {
      GrpcStatusWriter.end(request.response(), GrpcStatus.UNIMPLEMENTED, "method " + path + " is not served here",
          null, null);
      return;
    }
    serve(request, route);
  }

  private <Req extends MessageLite, Resp extends MessageLite> void serve(HttpServerRequest request,
      Route<Req, Resp> route) {
    ServerCall<Req, Resp> call = new ServerCall<>(request, route.method(), maxMessageBytes, Vertx.currentContext());
    route.handler().handle(call);
    call.start();
  }

  private static String serviceOf(String path) {
    if (path == null) return "";
    int slash = path.indexOf('/', 1);
    return slash < 0 ? "" : path.substring(1, slash);
  }

  private static boolean isGrpc(String contentType) {
    if (contentType == null) return false;
    int params = contentType.indexOf(';');
    String type = (params < 0 ? contentType : contentType.substring(0, params)).trim();
    return type.equals("application/grpc") || type.equals("application/grpc+proto");
  }
}
