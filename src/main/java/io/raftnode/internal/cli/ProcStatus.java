package io.raftnode.internal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's memory figures from /proc (Linux). */
final class ProcStatus {
  private ProcStatus() {}

  /**
   * CPU time (user + system) the process has used, in microseconds, from /proc/PID/stat; -1 when unavailable.
   * Assumes the usual 100 clock ticks per second.
   */
  static long cpuMicros(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 10_000;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

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
