package io.raftnode.internal.codec;

/** Bytes that are not a valid msgpack encoding of the expected Raft type. The message says what and where. */
public final class CodecException extends Exception {
  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
