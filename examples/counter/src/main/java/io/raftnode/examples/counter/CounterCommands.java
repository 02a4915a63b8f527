package io.raftnode.examples.counter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The bytes the counter service replicates: "add" commands, counter-name queries, 8-byte values. */
public final class CounterCommands {
  private CounterCommands() {}

  /** Add {@code delta} to the counter {@code name}. */
  public record Add(String name, long delta) {}

  public static byte[] add(String name, long delta) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + utf8.length).putLong(delta).put(utf8).array();
  }

  static Add parseAdd(byte[] command) {
    ByteBuffer buffer = ByteBuffer.wrap(command);
    long delta = buffer.getLong();
    return new Add(new String(command, 8, command.length - 8, StandardCharsets.UTF_8), delta);
  }

  /** The query that reads counter {@code name}. */
  public static byte[] get(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] value(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  /** A counter's value, from an apply's reply or a query's answer. */
  public static long valueOf(byte[] answer) {
    return ByteBuffer.wrap(answer).getLong();
  }
}
