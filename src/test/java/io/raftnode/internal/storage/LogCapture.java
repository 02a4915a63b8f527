package io.raftnode.internal.storage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what SegmentedLogStore logs while open; the strong reference keeps JUL from dropping the logger. */
final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger(SegmentedLogStore.class.getName());
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  LogCapture() {
    logger.addHandler(this);
  }

  List<LogRecord> warnings() {
    return records.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
  }

  void clear() {
    records.clear();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
