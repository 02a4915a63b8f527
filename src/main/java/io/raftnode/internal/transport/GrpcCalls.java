package io.raftnode.internal.transport;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Unary gRPC calls with a deadline whose failures keep the server's status, message and metadata (the generated
 * clients drop the message), so callers can tell UNAVAILABLE from INVALID_ARGUMENT and show why. A call that
 * could not get a connection fails with {@link RequestNotSentException}: its request never left. Any other
 * failure that is not a {@link RemoteCallException} (a reset stream, a connection lost mid-call, a client-side
 * timeout) came after the request may have reached the server.
 */
public final class GrpcCalls {
  private GrpcCalls() {}

  public static <Req, Resp> Future<Resp> unary(
      GrpcClient client, SocketAddress server, ServiceMethod<Resp, Req> method, Req request, long timeoutMs) {
    return unary(client, server, method, request, timeoutMs, Map.of());
  }

  /** A unary call that also sends {@code headers} as request metadata. */
  public static <Req, Resp> Future<Resp> unary(GrpcClient client, SocketAddress server,
      ServiceMethod<Resp, Req> method, Req request, long timeoutMs, Map<String, String> headers) {
    return client.request(server, method)
        .recover(err -> Future.failedFuture(new RequestNotSentException(server.toString(), err)))
        .compose(call -> {
          if (timeoutMs > 0) call.timeout(timeoutMs, TimeUnit.MILLISECONDS);
          headers.forEach((name, value) -> call.headers().set(name, value));
          return call.end(request)
              .compose(v -> call.response())
              .compose(response -> response.last().recover(err -> {
                GrpcStatus status = response.status();
                if (status != null && status != GrpcStatus.OK) {
                  MultiMap metadata = MultiMap.caseInsensitiveMultiMap().addAll(response.headers()).addAll(response.trailers());
                  return Future.failedFuture(new RemoteCallException(status, response.statusMessage(), metadata));
                }
                return Future.failedFuture(err);
              }));
        });
  }
}
