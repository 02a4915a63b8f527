package io.raftnode.internal.kv;

/**
 * The key-value store's map: keys and values live in a {@link RecordArena}, and an open-addressing hash table of
 * plain {@code long}s points at them. A write appends a record and points the key's slot at it; nothing it
 * allocates outlives the call, so the garbage collector never copies the store, however fast it changes.
 *
 * <p><b>Table.</b> Linear probing; each slot is three longs: the record's location (0 = empty), the key's hash and
 * the revision. Removal shifts later entries back instead of leaving tombstones. The table grows at 3/4 full.
 *
 * <p><b>Compaction.</b> A replaced or removed record is marked dead in place. Once dead bytes exceed a quarter of
 * the live ones (and {@link #MIN_GARBAGE_BYTES}), each write also walks the oldest chunk a little: dead records are
 * skipped, live ones are copied to the end and their slot repointed; a chunk walked through is dropped. Each step
 * scans three times the bytes the write added. The oldest chunk is the one most likely to have been overwritten
 * (under uniform overwrites of a store 1.25 times its live size, about 70 % of it is dead), so a step reclaims
 * more than the write added, and the arena stays near 1.25 times the live bytes. The store is most of a node's
 * old generation: a bound of twice the live bytes kept 400 MiB of values in 850 MiB of a 1 GiB heap, and the
 * collector marked without pause; copying a live record forward costs a memcpy.
 *
 * <p><b>Snapshots.</b> {@link #capture} hands another thread a point-in-time view without copying: the table lives
 * in pages, the view keeps the current pages and chunk list, and while it is held the writer copies a page before
 * its first change to it (copy-on-write). Records are never changed once written (a dead flag is the only write,
 * and a view does not read it), and chunks the writer drops stay reachable from the view.
 *
 * <p>One writer thread; a capture is read by one other thread.
 */
final class PackedKvMap {
  static final long MIN_GARBAGE_BYTES = 32L << 20;
  /** Longs per slot: location, hash, revision. */
  static final int STRIDE = 3;
  /**
   * What a key costs in the hash table at most: three longs a slot, and the table grows at 3/4 full to twice its
   * size, so it is never less than 3/8 full: 8/3 slots a key.
   */
  static final int TABLE_BYTES_PER_KEY = 64;
  private static final int MAX_PAGE_SHIFT = 12; // 4096 slots, 96 KiB a page
  private static final int MIN_CAPACITY = 64;

  private final RecordArena arena = new RecordArena();
  private final long minGarbageBytes;
  private long[][] pages;
  /** The capture epoch each page was last copied in; a page not copied in the current epoch is shared. */
  private int[] pageEpoch;
  private int capacity;
  private int pageShift;
  private int size;
  private long liveBytes;
  private int epoch;
  private PackedKvCapture capture;
  /** The next record the compaction looks at, in the oldest chunk; 0 when not compacting. */
  private long compactAt;

  PackedKvMap() {
    this(0);
  }

  /** A map sized for {@code expectedSize} keys without growing. */
  PackedKvMap(int expectedSize) {
    this(expectedSize, MIN_GARBAGE_BYTES);
  }

  /** A map that compacts once dead bytes exceed a quarter of the live ones and {@code minGarbageBytes}. */
  PackedKvMap(int expectedSize, long minGarbageBytes) {
    this.minGarbageBytes = minGarbageBytes;
    int c = MIN_CAPACITY;
    while (c * 3L / 4 < expectedSize) c <<= 1;
    allocate(c);
  }

  int size() {
    return size;
  }

  /** The key's value and revision, or null. */
  KvStateMachine.Versioned get(byte[] key) {
    int slot = find(key, hash(key, 0, key.length));
    if (slot < 0) return null;
    long location = word(slot, 0);
    return new KvStateMachine.Versioned(arena.value(location), word(slot, 2));
  }

  /** Sets {@code key} to {@code value} at {@code revision}. */
  void put(byte[] key, byte[] value, long revision) {
    settle();
    int h = hash(key, 0, key.length);
    int slot = find(key, h);
    long location = arena.append(key, value);
    int added = RecordArena.HEADER + key.length + value.length;
    liveBytes += added;
    if (slot >= 0) {
      forget(word(slot, 0));
      long[] page = writablePage(slot);
      page[index(slot)] = location;
      page[index(slot) + 2] = revision;
    } else {
      slot = -slot - 1;
      long[] page = writablePage(slot);
      page[index(slot)] = location;
      page[index(slot) + 1] = h;
      page[index(slot) + 2] = revision;
      if (++size > capacity * 3L / 4) grow();
    }
    compactSome(added);
  }

  /** Removes {@code key}; true when it was there. */
  boolean remove(byte[] key) {
    settle();
    int slot = find(key, hash(key, 0, key.length));
    if (slot < 0) return false;
    int removed = forget(word(slot, 0));
    deleteSlot(slot);
    size--;
    compactSome(removed);
    return true;
  }

  /** Starts a point-in-time view for another thread; one at a time. */
  PackedKvCapture capture() {
    settle();
    if (capture != null) throw new IllegalStateException("a capture is already running");
    epoch++;
    capture = new PackedKvCapture(pages.clone(), pageShift, capacity, arena.view(), size);
    return capture;
  }

  /** Bytes of arena memory held, live or not (for tests and sizing). */
  long arenaBytes() {
    return arena.bytes();
  }

  /** How many arena chunks the compaction has dropped (for tests). */
  long droppedChunks() {
    return arena.droppedChunks();
  }

  /** Bytes of the records the table points at. */
  long liveBytes() {
    return liveBytes;
  }

  /**
   * What the store holds for its keys: each live record (header, key and value) and its key's share of the hash
   * table. Records replaced or removed and not yet compacted away are not counted: a delete frees its bytes here at
   * once, and the compaction keeps the arena near 1.25 times this (see the class comment).
   */
  long storeBytes() {
    return liveBytes + (long) size * TABLE_BYTES_PER_KEY;
  }

  /** What {@link #storeBytes} counts for one key of {@code keyBytes} holding a value of {@code valueBytes}. */
  static long storeBytesOf(int keyBytes, int valueBytes) {
    return (long) RecordArena.HEADER + keyBytes + valueBytes + TABLE_BYTES_PER_KEY;
  }

  /** FNV-1a over the bytes, folded to 32 bits: short keys with leading zero bytes still spread well. */
  static int hash(byte[] b, int from, int length) {
    long h = 0xcbf29ce484222325L;
    for (int i = from; i < from + length; i++) {
      h ^= b[i] & 0xff;
      h *= 0x100000001b3L;
    }
    return (int) (h ^ (h >>> 32));
  }

  // ---- table ----

  /** The key's slot, or {@code -(empty slot) - 1} where it would go. */
  private int find(byte[] key, int h) {
    int mask = capacity - 1;
    for (int slot = home(h); ; slot = (slot + 1) & mask) {
      long location = word(slot, 0);
      if (location == 0) return -slot - 1;
      if ((int) word(slot, 1) == h && arena.keyEquals(location, key)) return slot;
    }
  }

  /** The slot pointing at {@code location}, which must be in the table. */
  private int slotOf(long location, int h) {
    int mask = capacity - 1;
    for (int slot = home(h); ; slot = (slot + 1) & mask) {
      long at = word(slot, 0);
      if (at == location) return slot;
      if (at == 0) throw new IllegalStateException("no slot points at live record " + location);
    }
  }

  private int home(int h) {
    return (h ^ (h >>> 16)) * 0x9E3779B1 >>> (32 - Integer.numberOfTrailingZeros(capacity)) & (capacity - 1);
  }

  /** Empties {@code slot}, moving later entries of its probe run back so that every key stays reachable. */
  private void deleteSlot(int slot) {
    int mask = capacity - 1;
    int hole = slot;
    for (int j = (slot + 1) & mask; word(j, 0) != 0; j = (j + 1) & mask) {
      int h = home((int) word(j, 1));
      boolean reachableFromHome = hole <= j ? hole < h && h <= j : hole < h || h <= j;
      if (reachableFromHome) continue;
      long[] to = writablePage(hole);
      long[] from = pages[j >>> pageShift];
      System.arraycopy(from, index(j), to, index(hole), STRIDE);
      hole = j;
    }
    long[] page = writablePage(hole);
    page[index(hole)] = 0;
    page[index(hole) + 1] = 0;
    page[index(hole) + 2] = 0;
  }

  private void grow() {
    long[][] oldPages = pages;
    int oldCapacity = capacity;
    int oldShift = pageShift;
    allocate(capacity * 2);
    int mask = capacity - 1;
    for (int s = 0; s < oldCapacity; s++) {
      long[] from = oldPages[s >>> oldShift];
      int i = (s & ((1 << oldShift) - 1)) * STRIDE;
      if (from[i] == 0) continue;
      int slot = home((int) from[i + 1]);
      while (word(slot, 0) != 0) slot = (slot + 1) & mask;
      System.arraycopy(from, i, pages[slot >>> pageShift], index(slot), STRIDE);
    }
  }

  private void allocate(int newCapacity) {
    capacity = newCapacity;
    pageShift = Math.min(MAX_PAGE_SHIFT, Integer.numberOfTrailingZeros(newCapacity));
    int pageCount = newCapacity >>> pageShift;
    pages = new long[pageCount][(1 << pageShift) * STRIDE];
    pageEpoch = new int[pageCount];
    java.util.Arrays.fill(pageEpoch, epoch); // fresh pages are nobody else's
  }

  private long word(int slot, int field) {
    return pages[slot >>> pageShift][index(slot) + field];
  }

  private int index(int slot) {
    return (slot & ((1 << pageShift) - 1)) * STRIDE;
  }

  /** The page holding {@code slot}, copied first if a capture still shares it. */
  private long[] writablePage(int slot) {
    int p = slot >>> pageShift;
    if (capture != null && pageEpoch[p] != epoch) {
      pages[p] = pages[p].clone();
      pageEpoch[p] = epoch;
    }
    return pages[p];
  }

  private void settle() {
    if (capture != null && capture.released()) capture = null;
  }

  // ---- records ----

  /** Marks a replaced or removed record dead; returns its size. */
  private int forget(long location) {
    int size = arena.sizeOf(location);
    liveBytes -= size;
    arena.markDead(location);
    return size;
  }

  private void compactSome(int written) {
    if (compactAt == 0) {
      long garbage = arena.bytes() - liveBytes;
      if (garbage <= Math.max(liveBytes / 4, minGarbageBytes) || arena.onlyTheFillChunkLeft()) return;
      compactAt = arena.firstLocation();
    }
    long budget = 3L * written;
    while (budget > 0) {
      int recordSize = arena.sizeOf(compactAt);
      if (!arena.isDead(compactAt)) {
        int slot = slotOf(compactAt, arena.keyHash(compactAt));
        long copy = arena.copy(compactAt);
        writablePage(slot)[index(slot)] = copy;
      }
      budget -= recordSize;
      compactAt = arena.next(compactAt);
      if (compactAt == 0) { // the oldest chunk holds nothing live any more
        arena.dropFirstChunk();
        return;
      }
    }
  }
}
