package io.raftnode.internal.cli;

import io.raftnode.HostAndPort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.ServiceMethod;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A blocking gRPC client for one command: HTTP/2 (TLS with --tls) to one server, every call bounded by the deadline.
 * Failures become {@link RpcException}s carrying the gRPC status, including the ones that never reached the server.
 */
final class RpcClient implements AutoCloseable {
  // Held strongly: java.util.logging forgets a logger's level once nothing references the logger.
  private static final Logger VERTX_LOG = Logger.getLogger("io.vertx");
  private static final Logger NETTY_LOG = Logger.getLogger("io.netty");

  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress server;
  private final ClientOptions options;

  RpcClient(ClientOptions options) {
    this.options = options;
    this.vertx = Vertx.vertx();
    HttpClientOptions http = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.timeoutMs()));
    ClientOptions.Tls tls = options.tls();
    if (tls != null) {
      http.setSsl(true).setUseAlpn(true);
      if (tls.ca() != null) http.setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()));
      if (tls.cert() != null) {
        http.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()));
      }
    }
    this.client = GrpcClient.client(vertx, new GrpcClientOptions(), http);
    this.server = SocketAddress.inetSocketAddress(options.server().port(), options.server().host());
  }

  /**
   * Silences Vert.x and Netty logging for a one-shot command process: the command reports every failure itself as
   * "error: STATUS: ...", and their logging of the same connection errors (sometimes after the command has given
   * up) would only add noise to stderr. Process-wide, so only Main calls it.
   */
  static void quietLogging() {
    VERTX_LOG.setLevel(Level.OFF);
    NETTY_LOG.setLevel(Level.OFF);
  }

  /** Sends {@code request} with the deadline in the grpc-timeout header and waits at most that long for the answer. */
  <Req, Resp> Resp call(ServiceMethod<Resp, Req> method, Req request) throws RpcException {
    return await(send(options.server(), method, request));
  }

  /**
   * Sends {@code request} to {@code target} (another node, with the same TLS settings and deadline) without
   * waiting; the future fails with an {@link RpcException}. Lets one command ask every member at once.
   */
  <Req, Resp> Future<Resp> send(HostAndPort target, ServiceMethod<Resp, Req> method, Req request) {
    long timeoutMs = options.timeoutMs();
    SocketAddress address = target.equals(options.server()) ? server
        : SocketAddress.inetSocketAddress(target.port(), target.host());
    return client.request(address, method)
        .recover(err -> Future.failedFuture(new RpcException("UNAVAILABLE",
            "cannot reach " + target + ": " + err.getMessage())))
        .compose(req -> {
          req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
          return req.send(request).compose(resp -> resp.last().recover(err -> Future.failedFuture(
              err instanceof InvalidStatusException
                  ? new RpcException(resp.status().name(), resp.statusMessage())
                  : err)));
        }).timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(toRpcException(err, target)));
  }

  /** Waits for a call made with {@link #send}; the Vert.x timer bounds it, the extra second guards a stuck loop. */
  <T> T await(Future<T> call) throws RpcException {
    CompletableFuture<T> result = call.toCompletionStage().toCompletableFuture();
    try {
      return result.get(options.timeoutMs() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw toRpcException(e.getCause(), options.server());
    } catch (TimeoutException e) {
      throw toRpcException(e, options.server());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException("CANCELLED", "interrupted");
    }
  }

  /**
   * Starts a server-streaming call without a deadline (a large stream may run for long); its messages are taken
   * from the returned stream, which fails once nothing arrived for this client's timeout.
   */
  <Req, Resp> RpcStream<Resp> stream(ServiceMethod<Resp, Req> method, Req request) {
    RpcStream<Resp> stream = new RpcStream<>(options.server().toString(), options.timeoutMs());
    stream.attach(client.request(server, method)
        .recover(err -> Future.failedFuture(new RpcException("UNAVAILABLE",
            "cannot reach " + options.server() + ": " + err.getMessage())))
        .compose(req -> req.send(request))
        .map(resp -> (io.vertx.grpc.client.GrpcClientResponse<?, Resp>) resp));
    return stream;
  }

  /**
   * A failure after the connection was made: the request may have reached the node, so unless the node said
   * otherwise (a status, or a stream it refused before reading), a write's outcome is unknown.
   */
  private RpcException toRpcException(Throwable error, HostAndPort server) {
    String target = server.toString();
    if (error instanceof RpcException rpc) return rpc;
    if (error instanceof TimeoutException)
      return new RpcException("DEADLINE_EXCEEDED",
          "no answer from " + target + " within " + options.timeoutMs() + " ms; outcome unknown");
    if (error instanceof GrpcErrorException grpc) return new RpcException(grpc.status().name(), grpc.getMessage());
    if (error instanceof StreamResetException reset) {
      if (reset.getCode() == REFUSED_STREAM) return new RpcException("UNAVAILABLE", target + " refused the call before reading it");
      return new RpcException("UNKNOWN", "stream reset by " + target + " (HTTP/2 error " + reset.getCode()
          + "); outcome unknown");
    }
    if (error instanceof HttpClosedException || error instanceof IOException)
      return new RpcException("UNKNOWN", "connection to " + target + " lost before the answer (" + error.getMessage()
          + "); outcome unknown");
    return new RpcException("UNKNOWN", String.valueOf(error));
  }

  /** HTTP/2 REFUSED_STREAM: the server did not process the stream at all (RFC 9113, section 8.7). */
  private static final long REFUSED_STREAM = 7;

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The process is about to exit; a slow close must not hide the command's result.
    }
  }
}
