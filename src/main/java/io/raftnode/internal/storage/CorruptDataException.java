package io.raftnode.internal.storage;

import java.io.IOException;

/**
 * Data on disk that cannot be trusted (bad checksum, unknown format). The node refuses to start; the message names
 * the file, the offset and what the operator can do.
 */
public final class CorruptDataException extends IOException {
  public CorruptDataException(String message) {
    super(message);
  }
}
