package io.raftnode.client;

import java.nio.charset.StandardCharsets;

/**
 * What a Get found.
 *
 * @param found    whether the key exists
 * @param value    its value (empty when not found); the array belongs to the caller
 * @param revision the log index of the write that last changed the key (0 when not found)
 */
public record GetResult(boolean found, byte[] value, long revision) {
  /** {@return the value decoded as UTF-8} */
  public String valueUtf8() {
    return new String(value, StandardCharsets.UTF_8);
  }
}
