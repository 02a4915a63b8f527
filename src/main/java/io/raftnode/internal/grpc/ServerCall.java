package io.raftnode.internal.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One gRPC call to a method the node serves itself ({@link GrpcRoutes}), as its handler sees it: request messages
 * in ({@link #handler}, then {@link #endHandler} once the client has sent its last), response messages out
 * ({@link #write}), and one end with a status. Everything runs on the server connection's event loop.
 *
 * <p>The call keeps the protocol below the handler: it cuts the body into messages ({@link MessageDeframer}) and
 * parses them, keeps the deadline (grpc-timeout), and answers itself, with the status the gRPC protocol
 * prescribes, what no handler could: a broken or compressed body, a message over the size limit, one that is not
 * the method's type, a deadline passing. Then, or when the client resets the stream or the connection is lost, the
 * handler learns from {@link #cancelHandler} that the call is over without it. Once over, every write and end is
 * ignored, so a handler whose work completes late need not ask.
 *
 * <p>A refused body or a passed deadline also resets the stream with NO_ERROR once the status is out, if the client
 * has not finished sending (RFC 9113 §8.1, as gRPC servers do): it stops sending what would be dropped. A call
 * answered before its deadline whose client still sends when the deadline passes is reset then.
 *
 * <p>A handler whose work completes on another thread (a worker, another verticle's event loop) may write and end
 * from there: those calls move to the call's event loop, in the order that thread made them.
 */
public final class ServerCall<Req extends MessageLite, Resp extends MessageLite> {
  private static final Logger LOG = Logger.getLogger(ServerCall.class.getName());
  /** HTTP/2 NO_ERROR: the answer is complete, the client may stop sending. */
  private static final long NO_ERROR = 0;

  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final GrpcMethod<Req, Resp> method;
  private final MessageDeframer deframer;
  private final Context context;
  /** The thread of {@link #context}, an event loop's: code running on it may touch the call's state. */
  private final Thread eventLoop;
  private final long timeoutMs;
  private long deadlineTimer = -1;
  private Handler<Req> messages;
  private Handler<Void> end;
  private Handler<Void> cancelled;
  private MultiMap trailers;
  /** The handler wants no messages for now; {@link #requestPaused}: the HTTP request is paused too. */
  private boolean paused;
  private boolean requestPaused;
  private boolean delivering;
  private boolean requestEnded;
  private boolean endDelivered;
  /** The call has ended (by its handler, or refused, or cancelled): nothing more is read or written. */
  private boolean over;
  /** Messages written in this turn of the event loop, sent together after it ({@link #write}). */
  private Buffer unsent;
  /** {@link #unsent} is a buffer of its own that messages can be appended to, not the first message's frame. */
  private boolean unsentGrows;
  private boolean sendScheduled;

  ServerCall(HttpServerRequest request, GrpcMethod<Req, Resp> method, long maxMessageBytes, Context context) {
    this.request = request;
    this.response = request.response();
    this.method = method;
    this.context = context;
    this.eventLoop = Thread.currentThread();
    this.deframer = new MessageDeframer(request.getHeader("grpc-encoding"), maxMessageBytes);
    this.timeoutMs = Math.max(0, GrpcTimeout.toMillis(request.getHeader("grpc-timeout")));
  }

  /** Starts reading the request; called once the handler has set its handlers. */
  void start() {
    request.handler(this::onData);
    request.endHandler(v -> onRequestEnd());
    request.exceptionHandler(e -> onGone());
    response.exceptionHandler(e -> onGone());
    // Called when the stream closes: after the answer, or on a reset or a lost connection before it.
    response.closeHandler(v -> onGone());
    if (timeoutMs > 0) {
      String header = request.getHeader("grpc-timeout");
      deadlineTimer = context.owner().setTimer(timeoutMs, id -> {
        deadlineTimer = -1;
        if (!over) {
          refuse(GrpcStatus.DEADLINE_EXCEEDED, "the call's deadline (grpc-timeout " + header
              + ") passed before it completed", true);
        } else if (!requestEnded && !response.closed()) {
          response.reset(NO_ERROR); // answered, but the client still sends: release the stream
        }
      });
    }
  }

  /** The method's name, e.g. {@code Put}. */
  public String methodName() {
    return method.name();
  }

  /** The request's headers (the call's metadata). */
  public MultiMap headers() {
    return request.headers();
  }

  /** The connection the call came on; its TLS peer certificates name the caller. */
  public HttpConnection connection() {
    return request.connection();
  }

  /** The call's timeout from its grpc-timeout header, in milliseconds from when it arrived; 0 when it has none. */
  public long timeoutMs() {
    return timeoutMs;
  }

  /** Takes each request message, in order. */
  public ServerCall<Req, Resp> handler(Handler<Req> handler) {
    this.messages = handler;
    return this;
  }

  /** Called once the client has ended its side, after its last message was handed over. */
  public ServerCall<Req, Resp> endHandler(Handler<Void> handler) {
    this.end = handler;
    return this;
  }

  /**
   * Called once if the call is over without the handler having ended it: the client reset the stream or went
   * away, or the call answered a bad body or its deadline itself.
   */
  public ServerCall<Req, Resp> cancelHandler(Handler<Void> handler) {
    this.cancelled = handler;
    return this;
  }

  /** Hands over no further messages until {@link #resume}; HTTP/2 flow control then holds the client back. */
  public void pause() {
    paused = true;
    if (!requestPaused && !over) {
      requestPaused = true;
      request.pause();
    }
  }

  public void resume() {
    if (!paused) return;
    paused = false;
    if (over) return;
    if (deframer.hasInput() || (requestEnded && !endDelivered)) {
      // Messages left in a chunk already received go first, after the caller's turn: it may be in a callback.
      context.runOnContext(v -> deliver());
    } else {
      resumeRequest();
    }
  }

  /** Metadata to send with the status (in the trailers, or in a trailers-only answer). */
  public MultiMap trailers() {
    if (trailers == null) trailers = MultiMap.caseInsensitiveMultiMap();
    return trailers;
  }

  /**
   * Sends {@code message} after the current task, with every other message written to this call before then.
   *
   * <p>An HTTP/2 write made outside the connection's read handling is flushed on its own, a system call and a TCP
   * segment each, and the node writes most answers from other tasks: a burst of client answers once entries apply,
   * a follower's answers once its disk has synced. Joined, a burst costs one write however many answers it holds.
   * Nothing waits for another event: the messages go out as soon as the task that wrote them returns.
   */
  public void write(Resp message) {
    if (movedToCallContext(() -> write(message))) return;
    if (over) return;
    addUnsent(GrpcStatusWriter.frame(message));
    if (!sendScheduled) {
      sendScheduled = true;
      context.runOnContext(v -> sendUnsent());
    }
  }

  private void addUnsent(Buffer frame) {
    if (unsent == null) {
      unsent = frame; // the common case, one message a turn: sent as encoded, not copied
    } else {
      if (!unsentGrows) {
        unsent = Buffer.buffer(2 * (unsent.length() + frame.length())).appendBuffer(unsent);
        unsentGrows = true;
      }
      unsent.appendBuffer(frame);
    }
  }

  private void sendUnsent() {
    sendScheduled = false;
    if (over) return;
    Buffer out = takeUnsent();
    if (out == null) return;
    if (!response.headWritten()) GrpcStatusWriter.head(response);
    response.write(out);
  }

  /** The messages written and not yet sent, taken off the call; null when there are none. */
  private Buffer takeUnsent() {
    Buffer out = unsent;
    unsent = null;
    unsentGrows = false;
    return out;
  }

  /** Whether the response's write queue is full: wait for {@link #drainHandler} before writing more. */
  public boolean writeQueueFull() {
    return !over && response.writeQueueFull();
  }

  public ServerCall<Req, Resp> drainHandler(Handler<Void> handler) {
    response.drainHandler(handler);
    return this;
  }

  /** Writes {@code last} and ends the call OK. */
  public void end(Resp last) {
    if (movedToCallContext(() -> end(last))) return;
    if (over) return;
    addUnsent(GrpcStatusWriter.frame(last));
    Buffer all = takeUnsent();
    finish();
    GrpcStatusWriter.end(response, GrpcStatus.OK, null, trailers, all);
  }

  /** Ends the call with {@code status} and {@code message} (null for none). */
  public void end(GrpcStatus status, String message) {
    if (movedToCallContext(() -> end(status, message))) return;
    if (over) return;
    sendUnsent();
    finish();
    GrpcStatusWriter.end(response, status, message, trailers, null);
  }

  /** Off the call's event loop: runs {@code action} there instead, and says so. */
  private boolean movedToCallContext(Runnable action) {
    if (Thread.currentThread() == eventLoop) return false;
    context.runOnContext(v -> action.run());
    return true;
  }

  /** Whether the call has ended (answered, refused, or cancelled). */
  public boolean isOver() {
    return over;
  }

  private void onData(Buffer chunk) {
    if (over) return;
    deframer.feed(chunk);
    deliver();
  }

  private void onRequestEnd() {
    requestEnded = true;
    if (over) {
      cancelDeadline();
    } else {
      deliver();
    }
  }

  /** Hands over the messages received while the handler wants them, then the end once they are all out. */
  private void deliver() {
    if (delivering || over) return;
    delivering = true;
    try {
      while (!paused && !over) {
        byte[] message = deframer.next();
        if (message == null) break;
        dispatch(message);
      }
    } finally {
      delivering = false;
    }
    if (over) return;
    MessageDeframer.Violation bad = deframer.violation();
    if (bad == null && !paused && !deframer.hasInput() && requestEnded) bad = deframer.onEnd();
    if (bad != null) {
      refuse(bad.status(), bad.message(), bad.reset());
    } else if (paused || deframer.hasInput()) {
      return;
    } else if (requestEnded) {
      if (!endDelivered) {
        endDelivered = true;
        if (end != null) end.handle(null);
      }
    } else {
      resumeRequest();
    }
  }

  private void dispatch(byte[] message) {
    Req parsed;
    try {
      parsed = method.parse(message);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      refuse(GrpcStatus.INVALID_ARGUMENT, "malformed " + method.name() + " request: " + e.getMessage(), false);
      return;
    }
    if (messages == null) return;
    try {
      messages.handle(parsed);
    } catch (RuntimeException e) {
      // A bug in a handler answers its caller rather than leaving the stream hanging.
      LOG.log(Level.WARNING, "unexpected failure handling a " + method.name() + " message", e);
      refuse(GrpcStatus.INTERNAL, "internal error: " + e, false);
    }
  }

  private void resumeRequest() {
    if (requestPaused && !paused) {
      requestPaused = false;
      request.resume();
    }
  }

  /**
   * The call ends: what the client still sends is dropped, and if it is still sending when the deadline passes, the
   * stream is reset then.
   */
  private void finish() {
    over = true;
    if (requestEnded) cancelDeadline();
    if (requestPaused) {
      requestPaused = false;
      request.resume();
    }
  }

  /** Ends the call with a status of the layer's own and tells the handler it is over. */
  private void refuse(GrpcStatus status, String message, boolean reset) {
    if (over) return;
    if (!response.closed()) sendUnsent();
    finish();
    if (!response.closed()) {
      LOG.fine(() -> "gRPC call " + method.path() + " refused: " + status + ": " + message);
      Future<Void> answered = GrpcStatusWriter.end(response, status, message, null, null);
      // Only once the status is out: Netty drops frames still queued behind flow control when a stream resets.
      if (reset) answered.onComplete(x -> {
        if (!requestEnded && !response.closed()) response.reset(NO_ERROR);
      });
    }
    if (cancelled != null) cancelled.handle(null);
  }

  /** The stream closed, was reset, or failed: if the handler had not ended the call, it is cancelled. */
  private void onGone() {
    cancelDeadline();
    takeUnsent();
    if (over) return;
    over = true;
    if (cancelled != null) cancelled.handle(null);
  }

  private void cancelDeadline() {
    if (deadlineTimer >= 0) {
      context.owner().cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
  }
}
