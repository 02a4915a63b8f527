package io.raftnode.internal.core;

/**
 * What a leader knows about one peer, for status reports.
 *
 * @param matchIndex   the highest index the peer is known to hold durably
 * @param state        PROBE, REPLICATE or SNAPSHOT (see etcd's Progress states)
 * @param lostLog      the peer answered with a log ending before what it had acknowledged: it lost its data
 * @param ticksSilent  ticks since the peer last answered
 */
public record PeerProgress(long matchIndex, String state, boolean lostLog, long ticksSilent) {}
