package io.raftnode;

/** A proposal that committed and applied: its log index and the state machine's reply. */
public record Applied(long index, byte[] result) {}
