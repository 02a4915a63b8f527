package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.TestSerializers.ENTRIES;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random appends, truncations (within and across segments), purges and reopens, checked after every step against
 * the in-memory store, which is the model of the contract.
 */
class SegmentedLogModelTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void behavesLikeTheModelThroughRandomOperationsAndReopens(long seed) throws IOException {
    Random random = new Random(seed);
    InMemoryLogStore model = new InMemoryLogStore();
    SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, 1024);
    try {
      long term = 1;
      for (int step = 0; step < 400; step++) {
        int op = random.nextInt(10);
        long last = LogId.indexOf(model.lastLogId());
        long first = model.firstIndex();
        if (op < 5) {
          List<Entry> entries = entries(term, last + 1, random.nextInt(8), random);
          model.write(0, entries);
          store.write(0, entries);
        } else if (op < 7 && last >= first) {
          long from = first + (long) random.nextInt((int) (last - first + 1));
          term++;
          List<Entry> entries = entries(term, from, random.nextInt(4), random);
          model.write(from, entries);
          store.write(from, entries);
        } else if (op == 7) {
          long upTo = first - 1 + random.nextInt((int) (last - first + 12));
          LogId id = upTo <= last && upTo >= first ? model.loadFrom(upTo).entries().get(0).logId()
              : LogId.of(term, 1, upTo);
          if (upTo > last) term++;
          model.purgeUpTo(id);
          store.purgeUpTo(id);
        } else if (op == 8) {
          store.sync();
          store.close();
          store = SegmentedLogStore.open(dir, ENTRIES, 1024);
        } else {
          store.sync();
        }
        assertEquals(model.loadFrom(1), store.loadFrom(1), "seed " + seed + ", step " + step);
        assertEquals(model.firstIndex(), store.firstIndex());
      }
    } finally {
      store.close();
    }
  }

  private static List<Entry> entries(long term, long from, int count, Random random) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[random.nextInt(random.nextInt(10) == 0 ? 3000 : 100)];
      random.nextBytes(data);
      entries.add(new Entry(LogId.of(term, 1, from + i), new EntryPayload.Normal(data)));
    }
    return entries;
  }
}
