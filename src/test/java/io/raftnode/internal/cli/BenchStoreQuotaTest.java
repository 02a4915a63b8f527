package io.raftnode.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchStoreQuotaTest {
  @Test
  void theQuotaHoldsTheKeySpaceWhenTheHeapAllowsIt() {
    long quota = BenchCommand.storeQuotaFor(100_000, 4096, List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC"));
    assertEquals(100_000L * (8 + 4096 + 73) + (64L << 20), quota);
  }

  @Test
  void theQuotaIsAtMostHalfTheHeap() {
    assertEquals(256L << 20, BenchCommand.storeQuotaFor(100_000, 65536, List.of("-Xmx512m")));
    assertEquals(64L << 20, BenchCommand.storeQuotaFor(100_000, 65536, List.of("-Xmx131072k")));
  }

  @Test
  void withoutAnXmxTheKeySpaceDecides() {
    assertEquals(1000L * (8 + 128 + 73) + (64L << 20), BenchCommand.storeQuotaFor(1000, 128, List.of("-XX:+UseG1GC")));
  }
}
