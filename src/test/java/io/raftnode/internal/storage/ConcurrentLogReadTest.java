package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.TestSerializers.ENTRIES;
import static io.raftnode.internal.storage.TestSerializers.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One reader thread reads the segmented log while the writer appends, rolls segments, truncates and purges. Every
 * read must return a run of entries that the log held (each entry's data names its own id; terms never go down
 * along a run) or nothing, and never report damage that is only a race.
 */
class ConcurrentLogReadTest {
  @TempDir Path dir;

  @Test
  void readsRacingTruncationsAndPurgesSeeWholeEntriesOrNothing() throws Exception {
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, 16 * 1024)) {
      AtomicLong first = new AtomicLong(1);
      AtomicLong last = new AtomicLong(0);
      AtomicBoolean writing = new AtomicBoolean(true);
      ExecutorService reader = Executors.newSingleThreadExecutor();
      Future<long[]> reads = reader.submit(() -> readUntilStopped(store, first, last, writing));
      Random random = new Random(42);
      long term = 1;
      for (int op = 0; op < 3000; op++) {
        long lastIndex = LogId.indexOf(store.lastLogId());
        int kind = random.nextInt(20);
        if (kind == 0 && lastIndex - first.get() > 10) {
          long from = first.get() + 1 + random.nextInt((int) (lastIndex - first.get()));
          term++;
          store.write(from, entries(term, from, from + random.nextInt(5)));
        } else if (kind == 1 && lastIndex - first.get() > 40) {
          long upTo = first.get() + random.nextInt(20);
          store.purgeUpTo(store.read(upTo, 1, 1).get(0).logId());
          first.set(upTo + 1);
        } else {
          store.write(0, entries(term, lastIndex + 1, lastIndex + 1 + random.nextInt(6)));
        }
        if (op % 50 == 0) store.sync();
        last.set(LogId.indexOf(store.lastLogId()));
      }
      writing.set(false);
      long[] counts = reads.get(30, TimeUnit.SECONDS);
      reader.shutdown();
      assertTrue(counts[0] > 100, "the reader read entries while the writer worked: " + counts[0] + " reads");
      assertTrue(counts[1] > 0, "some reads raced a truncation or purge and returned nothing: " + counts[1]);
    }
  }

  /** Returns {reads that returned entries, reads that returned nothing}. */
  private static long[] readUntilStopped(SegmentedLogStore store, AtomicLong first, AtomicLong last, AtomicBoolean writing)
      throws Exception {
    Random random = new Random(7);
    long full = 0;
    long empty = 0;
    while (writing.get()) {
      long lo = first.get();
      long hi = last.get();
      if (hi < lo) continue;
      long from = lo + random.nextInt((int) (hi - lo + 1));
      List<Entry> read = store.read(from, 1 + random.nextInt(30), 1 + random.nextInt(400));
      if (read.isEmpty()) {
        empty++;
        continue;
      }
      full++;
      long term = 0;
      for (int i = 0; i < read.size(); i++) {
        Entry e = read.get(i);
        assertEquals(from + i, e.index(), "a read returns consecutive entries from where it started");
        String data = new String(((EntryPayload.Normal) e.payload()).data(), StandardCharsets.UTF_8);
        assertEquals("t" + e.term() + "-i" + e.index(), data, "an entry read whole, as written");
        assertTrue(e.term() >= term, "terms never go down along a log: " + read);
        term = e.term();
      }
    }
    return new long[] {full, empty};
  }
}
