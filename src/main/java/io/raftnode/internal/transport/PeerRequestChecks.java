package io.raftnode.internal.transport;

import io.raftnode.internal.grpc.StatusWithTrailers;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.VoteRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.Map;

/**
 * What a decoded peer request must satisfy before the Raft core sees it. A request that fails is refused with
 * INVALID_ARGUMENT (it cannot come from a correct node) or FAILED_PRECONDITION (it is well formed but this node
 * will not take it now), and changes nothing.
 */
public final class PeerRequestChecks {
  /**
   * Largest term or log index accepted. A correct cluster never gets near it (2^62 at a million elections or
   * entries a second lasts 146,000 years); refusing larger values keeps term + 1 and index arithmetic far from
   * overflow, and stops one forged message from pinning a node's term at the end of the range.
   */
  public static final long MAX_TERM_OR_INDEX = 1L << 62;

  /** The trailer of a refusal that says machine-readably why, beside its status. */
  public static final String REFUSAL_REASON = "raftnode-error";
  /**
   * {@link #REFUSAL_REASON} of a vote request from a node this node's membership lists as removed: the candidate
   * will never be a member again and should stop campaigning.
   */
  public static final String REMOVED_FROM_CLUSTER = "removed-from-cluster";

  private PeerRequestChecks() {}

  /**
   * @param membership this node's current membership; a candidate it lists as removed (and no longer a member:
   *     a voter leaving in a joint config still counts) is refused, told so with {@link #REFUSAL_REASON}
   *     {@value #REMOVED_FROM_CLUSTER}, so that a node removed from the cluster cannot disturb it. A candidate it
   *     does not know at all is let through to the core, which decides by term and log as always: it may be a
   *     voter added by a change this node has not received yet, whose election may need this node's vote.
   */
  public static void checkVote(VoteRequest request, Membership membership) throws StatusException {
    long candidate = request.candidateId();
    long term = request.vote().term();
    if (candidate == 0) throw invalid("VoteRequest.vote.leader_id.node_id: the candidate id must not be 0");
    bound("VoteRequest.vote.leader_id.term", term);
    LogId last = request.lastLogId();
    if (last != null) {
      bound("VoteRequest.last_log_id.leader_id.term", last.term());
      bound("VoteRequest.last_log_id.index", last.index());
      if (last.term() > term) {
        throw invalid("VoteRequest.last_log_id: term " + last.term() + " is above the candidate's term " + term);
      }
    }
    if (membership.wasRemoved(candidate) && !membership.isMember(candidate)) {
      throw new StatusWithTrailers(GrpcStatus.FAILED_PRECONDITION, "node " + candidate + " was removed from this"
          + " node's cluster; its id is never used again (members: " + membership.nodes().keySet() + ")",
          Map.of(REFUSAL_REASON, REMOVED_FROM_CLUSTER));
    }
  }

  /**
   * Membership is not checked here: a member that missed the change adding a new leader must still accept that
   * leader's entries to learn about it, just as an empty node accepts a leader it has never heard of. The
   * sender's identity is checked against its certificate instead ({@link PeerIdentity}).
   */
  public static void checkAppend(AppendEntriesRequest request) throws StatusException {
    long leader = request.leaderNodeId();
    long term = request.vote().term();
    if (leader == 0) throw invalid("AppendEntriesRequest.vote.leader_id.node_id: the leader id must not be 0");
    bound("AppendEntriesRequest.vote.leader_id.term", term);
    if (!request.vote().committed()) {
      throw invalid("AppendEntriesRequest.vote: a leader sends its committed vote, got an uncommitted one");
    }
    LogId prev = request.prevLogId();
    if (prev != null) checkLogId("AppendEntriesRequest.prev_log_id", prev, term);
    if (request.leaderCommit() != null) checkLogId("AppendEntriesRequest.leader_commit", request.leaderCommit(), term);
    long expectedIndex = LogId.indexOf(prev) + 1;
    long previousTerm = LogId.termOf(prev);
    for (int i = 0; i < request.entries().size(); i++) {
      Entry entry = request.entries().get(i);
      // The common case passes without building the path that only an error message needs.
      if (entry.index() == expectedIndex && entry.term() >= previousTerm && entry.term() <= term
          && entry.index() <= MAX_TERM_OR_INDEX) {
        expectedIndex++;
        previousTerm = entry.term();
        continue;
      }
      String path = "AppendEntriesRequest.entries[" + i + "].log_id";
      checkLogId(path, entry.logId(), term);
      if (entry.index() != expectedIndex) {
        throw invalid(path + ": index " + entry.index() + " where " + expectedIndex
            + " was expected; entries must follow prev_log_id without gaps");
      }
      if (entry.term() < previousTerm) {
        throw invalid(path + ": term " + entry.term() + " is below the term " + previousTerm + " before it");
      }
      expectedIndex++;
      previousTerm = entry.term();
    }
  }

  /**
   * The first message of a Snapshot stream speaks for a leader like an AppendEntriesRequest: a committed vote of a
   * non-zero node, ids within bounds, nothing above the leader's term.
   */
  public static void checkSnapshotMeta(io.raftnode.internal.model.SnapshotMessage.Meta meta) throws StatusException {
    long leader = meta.vote().votedFor();
    long term = meta.vote().term();
    if (leader == 0) throw invalid("SnapshotMessage.Meta.vote.leader_id.node_id: the leader id must not be 0");
    bound("SnapshotMessage.Meta.vote.leader_id.term", term);
    if (!meta.vote().committed()) {
      throw invalid("SnapshotMessage.Meta.vote: a leader sends its committed vote, got an uncommitted one");
    }
    LogId last = meta.meta().lastLogId();
    if (last == null) throw invalid("SnapshotMessage.Meta.meta.last_log_id: a snapshot sent to a follower covers entries");
    checkLogId("SnapshotMessage.Meta.meta.last_log_id", last, term);
    LogId membership = meta.meta().lastMembership().logId();
    if (membership != null) checkLogId("SnapshotMessage.Meta.meta.last_membership.log_id", membership, term);
  }

  private static void checkLogId(String path, LogId id, long voteTerm) throws StatusException {
    bound(path + ".leader_id.term", id.term());
    bound(path + ".index", id.index());
    if (id.term() > voteTerm) {
      throw invalid(path + ": term " + id.term() + " is above the leader's term " + voteTerm);
    }
  }

  private static void bound(String path, long value) throws StatusException {
    if (value > MAX_TERM_OR_INDEX) {
      throw invalid(path + ": " + value + " is above the largest accepted value 2^62");
    }
  }

  private static StatusException invalid(String message) {
    return new StatusException(GrpcStatus.INVALID_ARGUMENT, message);
  }
}
