package io.raftnode.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.ConfigException;
import io.raftnode.NodeConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class NodeLoggingTest {
  private static LogRecord record() {
    LogRecord record = new LogRecord(Level.WARNING, "node 3 said \"hi\"\nand more");
    record.setLoggerName("io.raftnode.internal.node.NodeRuntime");
    record.setThrown(new IllegalStateException("disk gone"));
    return record;
  }

  @Test
  void jsonIsOneObjectPerLineWithTheNodeId() {
    String line = new NodeLogging.NodeFormatter(3, true).format(record());
    assertEquals(1, line.split("\n").length, line);
    assertTrue(line.endsWith("}\n"));
    JsonObject json = new JsonObject(line);
    assertEquals(3, json.getLong("node_id"));
    assertEquals("WARNING", json.getString("level"));
    assertEquals("io.raftnode.internal.node.NodeRuntime", json.getString("logger"));
    assertEquals("node 3 said \"hi\"\nand more", json.getString("message"));
    assertTrue(json.getString("error").startsWith("java.lang.IllegalStateException: disk gone"));
  }

  @Test
  void textNamesTheNodeOnEveryLine() {
    String text = new NodeLogging.NodeFormatter(7, false).format(record());
    assertTrue(text.matches("(?s)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} node=7 WARNING io\\.raftnode\\.internal\\.node\\.NodeRuntime: node 3 said.*"), text);
  }

  @Test
  void logKeysAreCheckedInTheConfig() throws Exception {
    JsonObject base = new JsonObject().put("node_id", 1).put("peer_address", "127.0.0.1:1").put("client_address", "127.0.0.1:2")
        .put("data_dir", "d");
    NodeConfig config = NodeConfig.fromJson(base.copy().put("log", new JsonObject().put("level", "fine").put("format", "json")), Path.of("."));
    assertEquals("fine", config.operations().logLevel());
    assertTrue(config.operations().logJson());
    ConfigException level = assertThrows(ConfigException.class, () ->
        NodeConfig.fromJson(base.copy().put("log", new JsonObject().put("level", "loud")), Path.of(".")));
    assertTrue(level.getMessage().contains("log.level"), level.getMessage());
    ConfigException format = assertThrows(ConfigException.class, () ->
        NodeConfig.fromJson(base.copy().put("log", new JsonObject().put("format", "xml")), Path.of(".")));
    assertTrue(format.getMessage().contains("log.format"), format.getMessage());
    ConfigException metrics = assertThrows(ConfigException.class, () ->
        NodeConfig.fromJson(base.copy().put("metrics_address", "127.0.0.1:2"), Path.of(".")));
    assertTrue(metrics.getMessage().contains("metrics_address"), metrics.getMessage());
  }
}
