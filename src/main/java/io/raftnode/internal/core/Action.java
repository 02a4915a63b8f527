package io.raftnode.internal.core;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import java.util.List;

/**
 * What a Raft core asks its node to do. The node executes the actions of one step in order.
 *
 * <p><b>Ordering rule.</b> Disk writes ({@link PersistVote}, {@link AppendToLog}) are carried out one after another
 * in the order given. An action whose {@link #awaitsPriorPersistence()} is true must not take effect before every
 * disk write emitted before it (in this step or an earlier one) is durable: a vote is on disk before the reply that
 * grants it leaves, and a follower acknowledges only entries on its disk ("persist before you promise"). Other
 * actions may go ahead at once: a leader sends entries to followers while it writes them itself (Raft thesis
 * §10.2.1), and counts its own copy only once {@link Event.LogPersisted} says so.
 */
public sealed interface Action {

  default boolean awaitsPriorPersistence() {
    return false;
  }

  /** Make the vote durable (term, voted-for, committed). */
  record PersistVote(Vote vote) implements Action {}

  /**
   * Remove every log entry with index >= {@code truncateFrom} (0 = remove nothing), then append {@code entries}
   * and make them durable; afterwards step {@link Event.LogPersisted} with the last appended id.
   */
  record AppendToLog(long truncateFrom, List<Entry> entries) implements Action {
    public AppendToLog {
      entries = List.copyOf(entries);
    }
  }

  /** Send a VoteRequest to a peer; its answer comes back as {@link Event.VoteResponseReceived}. */
  record SendVote(long to, VoteRequest request) implements Action {
    @Override
    public boolean awaitsPriorPersistence() {
      return true;
    }
  }

  /**
   * Send an AppendEntries request to a peer; the answer comes back as {@link Event.AppendEntriesResponseReceived}
   * (or {@link Event.AppendEntriesFailed}) carrying the same {@code rpcId}.
   */
  record SendAppend(long to, long rpcId, AppendEntriesRequest request) implements Action {}

  /** Answer the VoteRequest that arrived with {@code token}. */
  record ReplyVote(long token, VoteResponse response) implements Action {
    @Override
    public boolean awaitsPriorPersistence() {
      return true;
    }
  }

  /** Answer the AppendEntries request that arrived with {@code token}. */
  record ReplyAppend(long token, AppendEntriesResponse response) implements Action {
    @Override
    public boolean awaitsPriorPersistence() {
      return true;
    }
  }

  /** Committed entries to apply to the state machine, in index order, each exactly once. */
  record ApplyEntries(List<Entry> entries) implements Action {
    public ApplyEntries {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Read entries from the durable log, which are no longer in the core's memory: from {@code from} on, at most
   * {@code maxEntries} of them and at most {@code maxBytes} of stored entries (at least one when the log holds
   * {@code from}). Off the event loop; the result comes back as {@link Event.EntriesRead} with the same
   * {@code readId} and {@code forPeer} (the follower they are for; 0 = for applying), possibly empty when the log
   * no longer holds {@code from}. Not a disk write: it waits for none and orders against none.
   */
  record ReadEntries(long readId, long forPeer, long from, int maxEntries, long maxBytes) implements Action {}

  /** The leader appended the proposal with {@code token} at {@code logId}; it completes once that entry applies. */
  record ProposalAccepted(long token, LogId logId) implements Action {}

  /**
   * This node does not take the proposal: it is not the leader, or it is handing leadership over.
   * {@code leaderHint} is the leader it knows of (0 = unknown; itself while a transfer runs).
   */
  record ProposalRejected(long token, long leaderHint) implements Action {}

  /**
   * The read with {@code token} may be served once the state machine has applied {@code index}: every write that
   * completed before the read began is at or below it.
   */
  record ReadIndexReady(long token, long index) implements Action {}

  /** The read with {@code token} cannot be confirmed here; {@code leaderHint} is the known leader (0 = unknown). */
  record ReadIndexFailed(long token, long leaderHint) implements Action {}

  /** Ask {@code to}, whose log now holds ours, to start an election at once (leadership transfer). */
  record SendTransferLeader(long to, TransferLeaderRequest request) implements Action {}

  /** Answer the TransferLeader request with {@code token}: {@code error} null = accepted, else why not. */
  record ReplyTransferLeader(long token, String error) implements Action {}

  /** The transfer with {@code token} was asked of a node that is not the leader; {@code leaderHint} as above. */
  record TransferRejected(long token, long leaderHint) implements Action {}

  /** Leadership moved: {@code newLeader} was elected (or already led when the transfer was asked for). */
  record TransferCompleted(long token, long newLeader) implements Action {}

  /** The transfer with {@code token} did not happen; the old leader keeps (or regains) office. */
  record TransferFailed(long token, String reason) implements Action {}

  // ---- membership (see MembershipChanges) ----

  /** The change asked with {@code token} is done: {@code membership} is committed at {@code logId}. */
  record MembershipChanged(long token, Membership membership, LogId logId) implements Action {}

  /** Why a membership change did not happen, or may not have. */
  enum MembershipFailure {
    /** This node is not the leader; nothing changed. */
    NOT_LEADER,
    /** The request names no voter, or an unknown node; nothing changed. */
    INVALID,
    /** A rule refused it now (another change under way, a learner not caught up, a reused id); nothing changed. */
    REFUSED,
    /** Leadership was lost after the change was appended: it may still complete. */
    OUTCOME_UNKNOWN
  }

  /** The change asked with {@code token} failed; {@code leaderHint} is the known leader (0 = unknown). */
  record MembershipChangeFailed(long token, MembershipFailure failure, String message, long leaderHint)
      implements Action {}

  /**
   * {@code peer} answered with a log that ends at {@code holds}, before {@code acknowledged}, which it had already
   * acknowledged holding durably: it lost its data (a wiped or replaced disk). The leader no longer sends it
   * entries; the node must report it, since the remedy (remove the id, add a replacement under a new one) is an
   * operator's.
   */
  record PeerLostLog(long peer, long acknowledged, long holds) implements Action {}

  // ---- snapshots (see Snapshots) ----

  /**
   * A disk write: drop every log entry up to and including {@code upTo}; a snapshot covers them. Carried out in
   * order with the other disk writes.
   */
  record PurgeLog(LogId upTo) implements Action {}

  /**
   * Stream the latest snapshot ({@code meta}) to a peer whose next entry was purged; the outcome comes back as
   * {@link Event.SnapshotSent}.
   */
  record SendSnapshot(long to, Vote vote, SnapshotMeta meta) implements Action {}

  /**
   * A disk write: install the snapshot received with {@code token} (it becomes the node's latest snapshot and the
   * state machine's state), then reset the log to continue after {@code meta}'s last id: remove every entry from
   * {@code truncateFrom} on (0 = none; set when the log does not hold that id, so none of it can be kept), then
   * purge up to that id.
   */
  record RestoreSnapshot(long token, SnapshotMeta meta, long truncateFrom) implements Action {}

  /** Answer the Snapshot stream that arrived with {@code token}; the node drops the file if it was not installed. */
  record ReplySnapshot(long token, SnapshotResponse response) implements Action {
    @Override
    public boolean awaitsPriorPersistence() {
      return true;
    }
  }
}
