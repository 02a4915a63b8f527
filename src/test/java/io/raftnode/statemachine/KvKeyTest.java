package io.raftnode.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvKeyTest {
  @Test
  void keysAreEqualExactlyWhenTheirBytesAre() {
    List<byte[]> keys = new ArrayList<>();
    keys.add(new byte[0]);
    keys.add(new byte[] {0});
    keys.add(new byte[] {0, 0});
    keys.add(new byte[] {1, 2});
    keys.add(new byte[] {1, 2, 0}); // the same first 8 bytes as {1, 2} once zero-padded: only the length differs
    keys.add(new byte[] {2, 1});
    keys.add(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    keys.add(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}); // same prefix, longer
    keys.add(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 10}); // same prefix and length, different tail
    keys.add(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1});
    keys.add(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1});
    for (byte[] a : keys) {
      for (byte[] b : keys) {
        KvStateMachine.Key ka = new KvStateMachine.Key(a.clone());
        KvStateMachine.Key kb = new KvStateMachine.Key(b.clone());
        boolean same = Arrays.equals(a, b);
        assertEquals(same, ka.equals(kb), Arrays.toString(a) + " vs " + Arrays.toString(b));
        if (same) assertEquals(ka.hashCode(), kb.hashCode());
      }
    }
  }
}
