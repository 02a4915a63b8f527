package io.raftnode.client;

/**
 * A Put that applied.
 *
 * @param revision the log index at which the write applied
 */
public record PutResult(long revision) {}
