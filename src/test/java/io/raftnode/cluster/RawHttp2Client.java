package io.raftnode.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import io.raftnode.HostAndPort;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * An HTTP/2 connection (plaintext with prior knowledge, or TLS with ALPN) that sends gRPC requests exactly as told,
 * byte for byte, as a broken or hostile client would, and records what the server answers on each stream: response
 * headers, DATA, trailers, RST_STREAM. Built on Netty's HTTP/2 frame codec, so nothing between the test and the wire
 * fixes up the framing.
 */
final class RawHttp2Client implements AutoCloseable {
  private final MultiThreadIoEventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Frames frames = new Frames();
  private final Channel channel;
  private final String authority;

  /** A plaintext connection with HTTP/2 prior knowledge (h2c). */
  RawHttp2Client(HostAndPort address) throws InterruptedException {
    this(address, null);
  }

  /** Over TLS with {@code tls} (which must offer ALPN h2), or plaintext when it is null. */
  RawHttp2Client(HostAndPort address, SslContext tls) throws InterruptedException {
    this.authority = address.host() + ":" + address.port();
    this.channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls != null) ch.pipeline().addLast(tls.newHandler(ch.alloc(), address.host(), address.port()));
            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), frames);
          }
        })
        .connect(address.host(), address.port()).sync().channel();
  }

  /** A TLS client context presenting {@code cert}/{@code key}, trusting {@code ca}, offering h2 by ALPN. */
  static SslContext mutualTls(Path cert, Path key, Path ca) throws SSLException {
    return SslContextBuilder.forClient().keyManager(cert.toFile(), key.toFile()).trustManager(ca.toFile())
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
        .build();
  }

  /** The 5-byte gRPC message prefix: the compressed flag, then the announced length, big-endian. */
  static byte[] prefix(int compressedFlag, long announcedLength) {
    return ByteBuffer.allocate(5).put((byte) compressedFlag).putInt((int) announcedLength).array();
  }

  /** A whole gRPC message: the prefix with its true length, then the payload. */
  static byte[] message(int compressedFlag, byte[] payload) {
    return ByteBuffer.allocate(5 + payload.length).put(prefix(compressedFlag, payload.length)).put(payload).array();
  }

  /** Opens a stream with the request headers of a gRPC call to {@code path} plus {@code extra} (END_STREAM not set). */
  Call call(String path, Map<String, String> extra) {
    Http2Headers headers = new DefaultHttp2Headers()
        .method("POST").scheme("http").path(path).authority(authority)
        .set("content-type", "application/grpc").set("te", "trailers");
    extra.forEach(headers::set);
    Call call = new Call();
    onLoop(() -> {
      call.stream = frames.newStream();
      frames.calls.put(call.stream, call);
      channel.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false).stream(call.stream));
    });
    return call;
  }

  private void onLoop(Runnable task) {
    try {
      channel.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the client's event loop did not run the task", e);
    }
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** One stream: what the test sends on it and what came back. */
  final class Call {
    private Http2FrameStream stream;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private Long resetCode;
    private boolean headersSeen;

    /** Sends one DATA frame holding exactly {@code bytes}, with END_STREAM when {@code endStream}. */
    Call send(byte[] bytes, boolean endStream) {
      DefaultHttp2DataFrame frame = new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), endStream);
      onLoop(() -> channel.writeAndFlush(frame.stream(stream)));
      return this;
    }

    /**
     * Waits up to {@code timeoutMs} for the server to finish its side of the stream (trailers, END_STREAM, or
     * RST_STREAM) and returns what arrived; {@link Answer#ended} tells whether it did.
     */
    Answer await(long timeoutMs) throws InterruptedException {
      boolean done = ended.await(timeoutMs, TimeUnit.MILLISECONDS);
      synchronized (this) {
        return new Answer(done, Map.copyOf(headers), Map.copyOf(trailers), data.toByteArray(), resetCode);
      }
    }

    /** Waits up to {@code timeoutMs} until the stream is closed on both sides (HTTP/2 state CLOSED). */
    boolean awaitClosed(long timeoutMs) throws InterruptedException {
      return closed.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** How many bytes of DATA the server has sent so far. */
    synchronized int answerBytes() {
      return data.size();
    }

    private synchronized void onHeaders(Http2HeadersFrame frame) {
      Map<String, String> into = headersSeen ? trailers : headers;
      headersSeen = true;
      frame.headers().forEach(h -> into.put(h.getKey().toString(), h.getValue().toString()));
      if (frame.isEndStream()) ended.countDown();
    }

    private synchronized void onData(Http2DataFrame frame) {
      data.writeBytes(ByteBufUtil.getBytes(frame.content()));
      if (frame.isEndStream()) ended.countDown();
    }

    private synchronized void onReset(Http2ResetFrame frame) {
      resetCode = frame.errorCode();
      ended.countDown();
    }
  }

  /**
   * What the server sent on a stream. With a trailers-only answer the status is in {@code headers}; otherwise in
   * {@code trailers}.
   */
  record Answer(boolean ended, Map<String, String> headers, Map<String, String> trailers, byte[] data, Long resetCode) {
    /** The grpc-status, as a number, from the trailers or a trailers-only answer's headers; null if none came. */
    Integer grpcStatus() {
      String status = trailers.getOrDefault("grpc-status", headers.get("grpc-status"));
      return status == null ? null : Integer.valueOf(status);
    }

    String grpcMessage() {
      return trailers.getOrDefault("grpc-message", headers.get("grpc-message"));
    }

    @Override
    public String toString() {
      return (ended ? "ended" : "NOT ended") + ", headers " + headers + ", trailers " + trailers + ", " + data.length
          + " data bytes" + (resetCode == null ? "" : ", RST_STREAM " + resetCode);
    }
  }

  /** Hands each inbound frame to its call and returns DATA's flow-control credit. */
  private static final class Frames extends Http2ChannelDuplexHandler {
    final Map<Http2FrameStream, Call> calls = new ConcurrentHashMap<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame h && calls.get(h.stream()) != null) {
          calls.get(h.stream()).onHeaders(h);
        } else if (msg instanceof Http2DataFrame d && calls.get(d.stream()) != null) {
          calls.get(d.stream()).onData(d);
          if (d.initialFlowControlledBytes() > 0 && d.stream().state() != Http2Stream.State.CLOSED) {
            ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(d.initialFlowControlledBytes()).stream(d.stream()));
          }
        } else if (msg instanceof Http2ResetFrame r && calls.get(r.stream()) != null) {
          calls.get(r.stream()).onReset(r);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof Http2FrameStreamEvent event && event.type() == Http2FrameStreamEvent.Type.State
          && event.stream().state() == Http2Stream.State.CLOSED) {
        Call call = calls.get(event.stream());
        if (call != null) {
          call.ended.countDown();
          call.closed.countDown();
        }
      }
      super.userEventTriggered(ctx, evt);
    }
  }
}
