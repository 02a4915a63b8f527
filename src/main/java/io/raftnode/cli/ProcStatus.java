package io.raftnode.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's memory figures from /proc (Linux). */
final class ProcStatus {
  private ProcStatus() {}

  /** VmHWM, the peak resident set size, in KiB; -1024 when unavailable so MiB figures read -1. */
  static long peakRssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | NumberFormatException e) {
      return -1024;
    }
    return -1024;
  }
}
