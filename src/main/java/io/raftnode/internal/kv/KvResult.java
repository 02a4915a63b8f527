package io.raftnode.internal.kv;

/**
 * The outcome of a {@link KvCommand}.
 *
 * @param revision  for writes, the log index at which the command applied; for a Get, the index of the write that
 *                  last changed the key (0 when absent)
 * @param found     Get: the key exists; Delete: a key was deleted; CompareAndSwap: the swap happened; Put: true
 * @param value     Get: the value; CompareAndSwap: the value the key holds afterwards (null when absent)
 * @param present   CompareAndSwap: whether the key holds a value afterwards
 * @param error     null, or why the write was refused without changing anything (a stale request sequence)
 */
public record KvResult(long revision, boolean found, byte[] value, boolean present, String error) {
  public KvResult(long revision, boolean found, byte[] value, boolean present) {
    this(revision, found, value, present, null);
  }
}
