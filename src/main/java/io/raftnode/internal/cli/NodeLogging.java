package io.raftnode.internal.cli;

import io.raftnode.NodeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A node process's log lines: one per event, each with the node id, as plain text or as one JSON object for log
 * shippers. Level and format come from the config ({@code log.level}, {@code log.format}); the system properties
 * {@code raftnode.log.level} and {@code raftnode.log.format} override them for one run.
 */
final class NodeLogging {
  static final String LEVEL_PROPERTY = "raftnode.log.level";
  static final String FORMAT_PROPERTY = "raftnode.log.format";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private NodeLogging() {}

  /** Sets the root logger's level and every root handler's formatter; fails on an unknown level or format. */
  static void configure(long nodeId, NodeConfig.Operations ops) {
    String level = System.getProperty(LEVEL_PROPERTY, ops.logLevel());
    String format = System.getProperty(FORMAT_PROPERTY, ops.logJson() ? "json" : "text");
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("-D" + FORMAT_PROPERTY + " must be text or json, got \"" + format + "\"");
    }
    Logger root = Logger.getLogger("");
    Formatter formatter = new NodeFormatter(nodeId, format.equals("json"));
    if (level != null) root.setLevel(Level.parse(level.toUpperCase(Locale.ROOT)));
    for (Handler handler : root.getHandlers()) {
      handler.setFormatter(formatter);
      if (level != null) handler.setLevel(root.getLevel());
    }
  }

  static final class NodeFormatter extends Formatter {
    private final long nodeId;
    private final boolean json;

    NodeFormatter(long nodeId, boolean json) {
      this.nodeId = nodeId;
      this.json = json;
    }

    @Override
    public String format(LogRecord record) {
      String message = formatMessage(record);
      String thrown = record.getThrown() == null ? null : stackTrace(record.getThrown());
      if (!json) {
        return TIME.format(record.getInstant()) + " node=" + nodeId + " " + record.getLevel().getName() + " "
            + record.getLoggerName() + ": " + message + (thrown == null ? "" : " " + thrown.strip().replace("\n", "\n\t"))
            + System.lineSeparator();
      }
      StringBuilder out = new StringBuilder(128).append("{\"time\":\"").append(Instant.ofEpochMilli(record.getMillis()))
          .append("\",\"node_id\":").append(nodeId).append(",\"level\":\"").append(record.getLevel().getName())
          .append("\",\"logger\":");
      quote(out, record.getLoggerName()).append(",\"message\":");
      quote(out, message);
      if (thrown != null) quote(out.append(",\"error\":"), thrown);
      return out.append("}\n").toString();
    }

    private static String stackTrace(Throwable thrown) {
      StringWriter text = new StringWriter();
      thrown.printStackTrace(new PrintWriter(text));
      return text.toString();
    }

    private static StringBuilder quote(StringBuilder out, String text) {
      out.append('"');
      if (text != null) {
        for (int i = 0; i < text.length(); i++) {
          char c = text.charAt(i);
          switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
              if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
              else out.append(c);
            }
          }
        }
      }
      return out.append('"');
    }
  }
}
