package io.raftnode.internal.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;

/** Lists and copies log directories for the recovery tests. */
final class SegmentedLogStoreTestFiles {
  private SegmentedLogStoreTestFiles() {}

  static List<Path> segments(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> SegmentFormat.firstIndexOf(f.getFileName().toString()) > 0).sorted().toList();
    }
  }

  /** Replaces {@code target} with a copy of {@code source} (one level deep, as a log dir is). */
  static void copyDir(Path source, Path target) throws IOException {
    if (Files.exists(target)) {
      try (var files = Files.list(target)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(file);
      }
    }
    Files.createDirectories(target);
    try (var files = Files.list(source)) {
      for (Path file : files.toList())
        Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
