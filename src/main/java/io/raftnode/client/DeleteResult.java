package io.raftnode.client;

/**
 * A Delete that applied.
 *
 * @param deleted  whether the key existed (and is now gone)
 * @param revision the log index at which the delete applied
 */
public record DeleteResult(boolean deleted, long revision) {}
