package io.raftnode.node;

import java.util.List;

/** A snapshot of a node's Raft state, as AdminService.Status reports it. */
public record NodeStatus(
    long nodeId,
    String role,
    long term,
    long leaderId,
    long commitIndex,
    long appliedIndex,
    long lastLogIndex,
    long snapshotIndex,
    List<Long> voters,
    List<Long> learners) {}
