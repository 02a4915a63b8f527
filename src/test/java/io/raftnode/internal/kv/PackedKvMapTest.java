package io.raftnode.internal.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed map against a plain HashMap of the same writes: growth, removals, compaction and captures. */
class PackedKvMapTest {

  private record Value(byte[] bytes, long revision) {}

  private static String k(byte[] key) {
    return HexFormat.of().formatHex(key);
  }

  private static byte[] key(int n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  private static void assertSameContents(Map<String, Value> expected, PackedKvMap map, int keySpace) {
    assertEquals(expected.size(), map.size());
    for (int n = 0; n < keySpace; n++) {
      Value want = expected.get(k(key(n)));
      KvStateMachine.Versioned got = map.get(key(n));
      if (want == null) {
        assertNull(got, "key " + n);
      } else {
        assertArrayEquals(want.bytes(), got.value(), "key " + n);
        assertEquals(want.revision(), got.revision(), "key " + n);
      }
    }
  }

  private static Map<String, Value> contents(PackedKvCapture capture) throws IOException {
    Map<String, Value> seen = new HashMap<>();
    capture.forEach((chunk, keyAt, keyLength, valueAt, valueLength, revision) -> {
      Value previous = seen.put(k(Arrays.copyOfRange(chunk, keyAt, keyAt + keyLength)),
          new Value(Arrays.copyOfRange(chunk, valueAt, valueAt + valueLength), revision));
      assertNull(previous, "a key is visited once");
    });
    return seen;
  }

  private static void assertEqualContents(Map<String, Value> expected, Map<String, Value> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (var e : expected.entrySet()) {
      assertArrayEquals(e.getValue().bytes(), actual.get(e.getKey()).bytes());
      assertEquals(e.getValue().revision(), actual.get(e.getKey()).revision());
    }
  }

  /** Random puts (now and then a value big enough for an array of its own) and removals. */
  private static void randomWrites(Random random, PackedKvMap map, Map<String, Value> expected, int keySpace,
      int writes, long firstRevision) {
    for (int i = 0; i < writes; i++) {
      byte[] key = key(random.nextInt(keySpace));
      long revision = firstRevision + i;
      if (random.nextInt(10) == 0) {
        boolean was = expected.remove(k(key)) != null;
        assertEquals(was, map.remove(key));
      } else {
        int size = random.nextInt(2000) == 0 ? RecordArena.CHUNK_BYTES / 4 : random.nextInt(600);
        byte[] value = new byte[size];
        random.nextBytes(value);
        map.put(key, value, revision);
        expected.put(k(key), new Value(value, revision));
      }
    }
  }

  @Test
  void answersLikeAHashMapThroughGrowthRemovalsAndCompaction() {
    Random random = new Random(42);
    PackedKvMap map = new PackedKvMap();
    Map<String, Value> expected = new HashMap<>();
    randomWrites(random, map, expected, 20_000, 200_000, 1);
    assertSameContents(expected, map, 20_000);
    assertTrue(map.droppedChunks() > 20, "the writes were several times the threshold: " + map.droppedChunks());
    assertTrue(map.arenaBytes() <= map.liveBytes() + PackedKvMap.MIN_GARBAGE_BYTES + 4 * RecordArena.CHUNK_BYTES,
        "compaction keeps the dead bytes near the threshold: " + map.arenaBytes() + " for " + map.liveBytes());
  }

  /** The store's heap is the live data plus a quarter: a 400 MiB state must not hold 800 MiB of a 1 GiB heap. */
  @Test
  void overwritesKeepTheArenaWithinAQuarterAboveTheLiveBytes() {
    Random random = new Random(7);
    PackedKvMap map = new PackedKvMap(4000, 0);
    byte[] value = new byte[4096];
    long mostArena = 0;
    for (int n = 0; n < 100_000; n++) {
      random.nextBytes(value);
      map.put(key(random.nextInt(4000)), value.clone(), n + 1);
      if (n >= 20_000) mostArena = Math.max(mostArena, map.arenaBytes());
    }
    assertTrue(map.droppedChunks() > 100, "compaction ran: " + map.droppedChunks());
    assertTrue(mostArena <= map.liveBytes() * 5 / 4 + 2 * RecordArena.CHUNK_BYTES,
        "arena at most " + mostArena + " bytes for " + map.liveBytes() + " live");
  }

  @Test
  void removingEveryKeyEmptiesTheMapAndItsProbeRuns() {
    PackedKvMap map = new PackedKvMap();
    for (int n = 0; n < 5000; n++) map.put(key(n), new byte[] {(byte) n}, n + 1);
    for (int n = 0; n < 5000; n += 2) assertTrue(map.remove(key(n)));
    for (int n = 0; n < 5000; n++) assertEquals(n % 2 == 1, map.get(key(n)) != null, "key " + n);
    for (int n = 1; n < 5000; n += 2) assertTrue(map.remove(key(n)));
    assertEquals(0, map.size());
    assertFalse(map.remove(key(1)));
    assertEquals(0, map.liveBytes());
  }

  @Test
  void aCaptureSeesTheMapAsItWasWhateverTheWriterDoesAfterwards() throws IOException {
    Random random = new Random(7);
    PackedKvMap map = new PackedKvMap();
    Map<String, Value> expected = new HashMap<>();
    randomWrites(random, map, expected, 3000, 30_000, 1);
    Map<String, Value> atCapture = new HashMap<>(expected);
    PackedKvCapture capture = map.capture();
    assertEquals(expected.size(), capture.size());
    // Enough writes over a larger key space to grow the table, replace and remove captured keys, and compact
    // (and drop) the chunks the captured records are in.
    randomWrites(random, map, expected, 60_000, 200_000, 1_000_000);
    assertEqualContents(atCapture, contents(capture));
    assertSameContents(expected, map, 60_000);
    capture.release();
    randomWrites(random, map, expected, 60_000, 1000, 5_000_000);
    assertSameContents(expected, map, 60_000);
    assertEqualContents(expected, contents(map.capture()));
  }

  @Test
  void aCaptureReadOnAnotherThreadWhileTheWriterRunsSeesTheMapAsItWas() throws Exception {
    Random random = new Random(3);
    PackedKvMap map = new PackedKvMap();
    Map<String, Value> expected = new HashMap<>();
    randomWrites(random, map, expected, 20_000, 50_000, 1);
    Map<String, Value> atCapture = new HashMap<>(expected);
    PackedKvCapture capture = map.capture();
    Map<String, Value>[] read = new Map[1];
    Thread reader = new Thread(() -> {
      try {
        read[0] = contents(capture);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    reader.start();
    randomWrites(random, map, expected, 40_000, 150_000, 1_000_000);
    reader.join();
    assertEqualContents(atCapture, read[0]);
    assertSameContents(expected, map, 40_000);
  }

  @Test
  void compactionAfterACaptureMovesRecordsWithoutChangingTheCapture() throws IOException {
    Random random = new Random(5);
    PackedKvMap map = new PackedKvMap(0, 0); // compacts as soon as dead bytes exceed the live ones
    Map<String, Value> expected = new HashMap<>();
    randomWrites(random, map, expected, 5000, 60_000, 1);
    Map<String, Value> atCapture = new HashMap<>(expected);
    PackedKvCapture capture = map.capture();
    // Large values to one key: every write makes the compaction step through a whole chunk, copying the live
    // records it finds into new chunks and repointing slots all over the table, which the capture still shares.
    long droppedBefore = map.droppedChunks();
    for (int i = 0; i < 20; i++) {
      byte[] big = new byte[RecordArena.CHUNK_BYTES / 2];
      random.nextBytes(big);
      map.put(key(0), big, 1_000_000 + i);
      expected.put(k(key(0)), new Value(big, 1_000_000 + i));
    }
    assertTrue(map.droppedChunks() - droppedBefore >= 10,
        "the compaction dropped chunks the capture still reads: " + (map.droppedChunks() - droppedBefore));
    assertEqualContents(atCapture, contents(capture));
    assertSameContents(expected, map, 5000);
  }

  @Test
  void manyCapturesOneAfterAnotherEachSeeTheirOwnMoment() throws IOException {
    Random random = new Random(99);
    PackedKvMap map = new PackedKvMap(0, 1 << 20); // a low floor, so compaction runs between and during captures
    Map<String, Value> expected = new HashMap<>();
    long revision = 1;
    for (int round = 0; round < 40; round++) {
      randomWrites(random, map, expected, 4000 + round * 100, random.nextInt(3000), revision);
      revision += 10_000;
      Map<String, Value> atCapture = new HashMap<>(expected);
      PackedKvCapture capture = map.capture();
      randomWrites(random, map, expected, 4000 + round * 100, random.nextInt(6000), revision);
      revision += 10_000;
      assertEqualContents(atCapture, contents(capture));
      capture.release();
    }
    assertSameContents(expected, map, 8000);
    assertTrue(map.droppedChunks() > 0, "compaction ran");
  }

  @Test
  void oneCaptureAtATime() {
    PackedKvMap map = new PackedKvMap();
    map.put(key(1), new byte[] {1}, 1);
    PackedKvCapture first = map.capture();
    assertThrows(IllegalStateException.class, map::capture);
    first.release();
    map.put(key(2), new byte[] {2}, 2); // the writer notices the release at its next change
    assertEquals(2, map.capture().size());
  }
}
