package io.raftnode.internal.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Directory-level durability: a created or renamed file survives a crash only once its directory is synced. */
final class Directories {
  private Directories() {}

  /**
   * fsyncs {@code dir}. Some platforms (Windows) cannot open a directory as a channel; there a rename or create is
   * as durable as that platform makes it, and there is nothing more we can do, so that refusal is ignored. A failure
   * of the sync itself is a real I/O error and is thrown.
   */
  static void fsync(Path dir) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException platformRefuses) {
      return;
    }
    try (channel) {
      channel.force(true);
    }
  }
}
