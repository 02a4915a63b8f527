package io.raftnode.client;

/**
 * The answer to a compare-and-swap that applied (a swap that did not match still applied: it changed nothing).
 *
 * @param succeeded      whether the key held the expected value (or was absent, as expected) and now holds the new one
 * @param currentPresent when it did not succeed: whether the key exists
 * @param currentValue   when it did not succeed and the key exists: its value (else empty)
 * @param revision       the log index at which the compare-and-swap applied
 */
public record CompareAndSwapResult(boolean succeeded, boolean currentPresent, byte[] currentValue, long revision) {}
