package io.raftnode;

/**
 * The leader a node knows of after a change, as {@link RaftNode#onLeaderChange} reports it.
 *
 * @param leaderId      the leader's id, 0 when this node knows none (an election is under way)
 * @param term          the term this node is in
 * @param thisNodeLeads this node is the leader
 */
public record LeaderChange(long leaderId, long term, boolean thisNodeLeads) {}
