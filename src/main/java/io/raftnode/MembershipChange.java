package io.raftnode;

import java.util.List;

/**
 * The membership in force on a node after a change, as {@link RaftNode#onMembershipChange} reports it. It takes
 * effect when its log entry reaches the node's log, before it commits (Raft thesis §4.1).
 *
 * @param logIndex       the log index of its entry (0 for the membership a cluster bootstrapped with, before any)
 * @param voters         the voters; during a change of voters (joint consensus) the old ones
 * @param jointNewVoters during a change of voters the voter set it moves to, else empty
 * @param learners       members that receive the log but do not vote
 */
public record MembershipChange(long logIndex, List<Long> voters, List<Long> jointNewVoters, List<Long> learners) {}
