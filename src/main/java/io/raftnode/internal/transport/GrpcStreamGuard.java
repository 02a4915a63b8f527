package io.raftnode.internal.transport;

import io.raftnode.internal.grpc.GrpcStatusWriter;
import io.raftnode.internal.grpc.GrpcTimeout;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Timer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.StatusException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Stands between each HTTP/2 request and Vert.x's gRPC server so that every gRPC stream ends with a status and is
 * released, whatever bytes the client sends.
 *
 * <p>Vert.x's gRPC server (5.0.7) leaves some streams without any answer: a message with the compressed flag on a
 * call that names no grpc-encoding throws inside its reader, and a body that ends inside a message is dropped
 * without a word, so the caller waits until it gives up. It also reads every flag byte but 1 as "uncompressed", and
 * passes compressed messages on to methods that decode messages themselves (as this node's do), which took them
 * for plain bytes. On a deadline it sends DEADLINE_EXCEEDED but keeps the stream open while the client's side is.
 *
 * <p>The guard reads the framing itself ({@link GrpcFrameCheck}) before Vert.x does, and keeps the deadline
 * (grpc-timeout) in Vert.x's place. When it refuses a stream or the deadline passes, it writes the status itself
 * (trailers-only, or trailers after answers already sent), resets the stream with NO_ERROR if the client has not
 * finished sending (RFC 9113 §8.1, as gRPC servers do), and fails the gRPC call's read side with a
 * {@link StatusException}: the method's exception handler learns that the stream is over and writes nothing more.
 * The node takes no compression (an inflated message would also escape the size limit), and its answers say
 * {@code grpc-accept-encoding: identity}.
 */
public final class GrpcStreamGuard implements Handler<HttpServerRequest> {
  private static final Logger LOG = Logger.getLogger(GrpcStreamGuard.class.getName());
  /** HTTP/2 NO_ERROR: the answer is complete, the client may stop sending. */
  private static final long NO_ERROR = 0;

  private final Handler<HttpServerRequest> grpc;

  private GrpcStreamGuard(Handler<HttpServerRequest> grpc) {
    this.grpc = grpc;
  }

  /** The request handler to serve {@code server} with. */
  public static GrpcStreamGuard around(GrpcServer server) {
    return new GrpcStreamGuard(server);
  }

  @Override
  public void handle(HttpServerRequest request) {
    // gRPC-Web and transcoding frame their bodies differently; Vert.x reads those with other code.
    if (request.version() == HttpVersion.HTTP_2 && isGrpc(request.getHeader("content-type"))
        && request instanceof HttpServerRequestInternal internal) {
      grpc.handle(new GuardedRequest(internal));
    } else {
      grpc.handle(request);
    }
  }

  private static boolean isGrpc(String contentType) {
    return contentType != null
        && (contentType.equals("application/grpc") || contentType.startsWith("application/grpc+"));
  }

  /** The request as Vert.x's gRPC server sees it: body chunks and the end pass only once checked. */
  private static final class GuardedRequest extends HttpServerRequestWrapper {
    private final GrpcFrameCheck framing;
    private final HttpServerResponse response;
    private Handler<Buffer> grpcData;
    private Handler<Void> grpcEnd;
    private Handler<Throwable> grpcFailure;
    private Timer deadline;
    private boolean requestEnded;
    private boolean refused;

    GuardedRequest(HttpServerRequestInternal delegate) {
      super(delegate);
      this.framing = new GrpcFrameCheck(delegate.getHeader("grpc-encoding"));
      this.response = delegate.response();
      response.headersEndHandler(v -> response.headers().set("grpc-accept-encoding", "identity"));
      response.closeHandler(v -> cancelDeadline());
      delegate.handler(this::onData);
      delegate.endHandler(v -> onEnd());
      delegate.exceptionHandler(this::onFailure);
      startDeadline(delegate.getHeader("grpc-timeout"));
    }

    @Override
    public HttpServerRequest handler(Handler<Buffer> handler) {
      grpcData = handler;
      return this;
    }

    @Override
    public HttpServerRequest endHandler(Handler<Void> handler) {
      grpcEnd = handler;
      return this;
    }

    @Override
    public HttpServerRequest exceptionHandler(Handler<Throwable> handler) {
      grpcFailure = handler;
      return this;
    }

    private void onData(Buffer chunk) {
      if (refused) return;
      GrpcFrameCheck.Violation bad = framing.onData(chunk);
      if (bad != null) {
        refuse(bad.status(), bad.message());
      } else if (grpcData != null) {
        grpcData.handle(chunk);
      }
    }

    private void onEnd() {
      requestEnded = true;
      if (refused) return;
      GrpcFrameCheck.Violation bad = framing.onEnd();
      if (bad != null) {
        refuse(bad.status(), bad.message());
      } else if (grpcEnd != null) {
        grpcEnd.handle(null);
      }
    }

    private void onFailure(Throwable failure) {
      if (!refused && grpcFailure != null) grpcFailure.handle(failure);
    }

    private void startDeadline(String grpcTimeout) {
      long timeoutMs = GrpcTimeout.toMillis(grpcTimeout);
      if (timeoutMs < 0) return;
      deadline = context().timer(timeoutMs, TimeUnit.MILLISECONDS);
      deadline.onSuccess(v -> refuse(GrpcStatus.DEADLINE_EXCEEDED, "the call's deadline (grpc-timeout "
          + grpcTimeout + ") passed before it completed"));
    }

    private void cancelDeadline() {
      if (deadline != null) deadline.cancel();
    }

    /** Ends the stream with {@code status} (unless an answer already ended it) and releases it. */
    private void refuse(GrpcStatus status, String message) {
      if (refused) return;
      refused = true;
      cancelDeadline();
      if (response.closed()) return;
      Future<Void> answered = Future.succeededFuture();
      if (!response.ended()) {
        LOG.fine(() -> "gRPC stream " + path() + " refused: " + status + ": " + message);
        answered = GrpcStatusWriter.end(response, status, message, null, null);
      }
      // Only once the status is out: Netty drops frames still queued behind flow control when a stream resets.
      answered.onComplete(x -> {
        if (!requestEnded && !response.closed()) response.reset(NO_ERROR);
      });
      if (grpcFailure != null) grpcFailure.handle(new StatusException(status, message));
    }
  }
}
