package io.raftnode.internal.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Lets an HTTP/2 connection send everything written in one event-loop turn with one socket write.
 *
 * <p>Vert.x flushes an HTTP/2 connection after every message written outside its own read handling, and the node
 * writes most of its messages from other tasks: a burst of client answers after entries apply, a follower's answers
 * once its disk has synced. Each flush is a system call and a TCP segment for the peer to read. Netty's
 * {@link FlushConsolidationHandler}, placed where the flushes enter the pipeline, turns those into one flush per
 * turn of the event loop (or per {@link #MAX_DEFERRED_FLUSHES}), which is after the task that wrote them, so no
 * message waits for another event.
 */
public final class FlushBatching {
  static final int MAX_DEFERRED_FLUSHES = 256;
  private static final String NAME = "raftnode-flush-batching";

  private FlushBatching() {}

  /** Installs the batching on a server connection; connections of other kinds are left as they are. */
  public static void install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) return;
    ChannelPipeline pipeline = base.channel().pipeline();
    // Last, so that Vert.x's channel-wide flush meets it before the HTTP/2 handler writes out the frames.
    if (pipeline.get(NAME) == null) pipeline.addLast(NAME, new FlushConsolidationHandler(MAX_DEFERRED_FLUSHES, true));
  }
}
