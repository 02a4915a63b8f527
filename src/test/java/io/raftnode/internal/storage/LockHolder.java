package io.raftnode.internal.storage;

import java.nio.file.Path;

/** Run in a child JVM by DataDirTest: opens a data dir, says so, and holds it until its stdin closes. */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    DataDir dataDir = DataDir.open(Path.of(args[0]), TestSerializers.ENTRIES, TestSerializers.VOTES, 4096);
    System.out.println("locked");
    System.out.flush();
    System.in.readAllBytes();
    dataDir.close();
  }
}
