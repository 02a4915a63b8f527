package io.raftnode.cluster;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts, while open, the session endpoint's writes to a gRPC stream that had already failed (the client reset
 * it): Vert.x throws IllegalStateException for such a write, and the node logs it as unhandled.
 */
final class ServerLog extends Handler implements AutoCloseable {
  private static final Logger ROOT = Logger.getLogger("");
  private static final String SESSION_ENDPOINT = "io.raftnode.internal.service.KvSessionEndpoint";
  private final AtomicInteger failedWrites = new AtomicInteger();

  static ServerLog capture() {
    ServerLog log = new ServerLog();
    ROOT.addHandler(log);
    return log;
  }

  @Override
  public void publish(LogRecord record) {
    for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
      if (t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("stream is failed")
          && Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().startsWith(SESSION_ENDPOINT))) {
        failedWrites.incrementAndGet();
        return;
      }
    }
  }

  int writesToFailedStreams() {
    return failedWrites.get();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    ROOT.removeHandler(this);
  }
}
