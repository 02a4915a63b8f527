package io.raftnode.internal.core;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.MembershipCommand;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import java.util.List;

/**
 * Everything that can happen to a Raft core. The node turns timers, RPCs and finished disk writes into events and
 * hands them to {@link RaftCore#step(Event)} one at a time.
 *
 * <p>Tokens are opaque numbers chosen by the node; the core echoes them in the matching actions so the node can
 * complete the right RPC or client call.
 */
public sealed interface Event {

  /**
   * One firing of the node's tick timer. The timer is re-armed after each firing, so firings are at least one tick
   * period apart; election, vote-refusal and quorum timeouts advance by one per Tick whatever {@code elapsed} says
   * (so a stall never sets off an election burst, and a count of Ticks never outruns real time). {@code elapsed}
   * is how many whole ticks of real time passed since the clock last moved (by a Tick or {@link ClockCaughtUp}):
   * more than 1 after the node's event loop stalled, 0 when a catch-up already reported them. It must never run
   * ahead of real time: a leader's lease is measured in it (see {@link Lease}), so a stall can never stretch it.
   */
  record Tick(long elapsed) implements Event {
    public static final Tick INSTANCE = new Tick(1);

    public Tick {
      if (elapsed < 0) throw new IllegalArgumentException("elapsed must be >= 0: " + elapsed);
    }
  }

  /**
   * Whole ticks of real time that passed since the clock last moved and that no Tick has reported yet: the node
   * hands them over before a {@link LeaseRead} so the lease is judged at the real time (after a stall the overdue
   * timer may fire only after the requests that piled up). Only the lease clock moves; timeouts wait for the
   * timer's own Tick, which then reports only what passed after this.
   */
  record ClockCaughtUp(long elapsed) implements Event {
    public ClockCaughtUp {
      if (elapsed < 1) throw new IllegalArgumentException("elapsed must be >= 1: " + elapsed);
    }
  }

  /** One client proposal: the token the node will see again in ProposalAccepted / ProposalRejected. */
  record Proposal(long token, EntryPayload payload) {}

  /** Proposals that arrived together; a leader appends them as one batch. */
  record Propose(List<Proposal> proposals) implements Event {
    public Propose {
      proposals = List.copyOf(proposals);
    }
  }

  /** A peer asks for our vote; answer with {@link Action.ReplyVote} carrying {@code token}. */
  record VoteRequestReceived(long token, VoteRequest request) implements Event {}

  /** A peer answered the VoteRequest we sent it. */
  record VoteResponseReceived(long from, VoteRequest sent, VoteResponse response) implements Event {}

  /** A leader sends entries or a heartbeat; answer with {@link Action.ReplyAppend} carrying {@code token}. */
  record AppendEntriesReceived(long token, AppendEntriesRequest request) implements Event {}

  /** A peer answered the AppendEntries request we sent with {@code rpcId} (see {@link Action.SendAppend}). */
  record AppendEntriesResponseReceived(long from, long rpcId, AppendEntriesRequest sent, AppendEntriesResponse response)
      implements Event {}

  /** The AppendEntries request with {@code rpcId} to {@code to} got no answer (connection error, deadline). */
  record AppendEntriesFailed(long to, long rpcId, AppendEntriesRequest sent) implements Event {}

  /**
   * An {@link Action.AppendToLog} finished: every entry up to and including {@code upTo} that was written by it
   * (and by every earlier AppendToLog) is durable. The core must check that its log still holds {@code upTo}
   * before counting it: a later truncation may have replaced it.
   */
  record LogPersisted(LogId upTo) implements Event {}

  /**
   * A {@link Action.ReadEntries} finished: {@code entries} are what the durable log held from {@code from} on
   * (empty when it held nothing there, or when a truncation or purge overlapped the read). The core drops a result
   * it no longer wants (another term, the follower's progress moved, the log changed under it).
   */
  record EntriesRead(long readId, long forPeer, long from, List<Entry> entries) implements Event {
    public EntriesRead {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Linearizable reads that arrived together (thesis §6.4 ReadIndex). A leader answers each token with
   * {@link Action.ReadIndexReady} once one heartbeat round sent after this event was acknowledged by a quorum (the
   * tokens share the round), and only after an entry of its own term has committed; the node serves the read once
   * its state machine has applied the index. Anything else answers {@link Action.ReadIndexFailed}.
   */
  record ReadIndex(List<Long> tokens) implements Event {
    public ReadIndex {
      tokens = List.copyOf(tokens);
    }
  }

  /**
   * A lease read (thesis §6.4.1): a leader whose lease holds answers {@link Action.ReadIndexReady} at once;
   * without a valid lease it confirms the read like {@link ReadIndex}. Not leading: {@link Action.ReadIndexFailed}.
   */
  record LeaseRead(long token) implements Event {}

  /**
   * An operator asks this node, which must be the leader, to hand leadership to {@code target} (0 = the most
   * up-to-date other voter). Answered by exactly one of {@link Action.TransferRejected} (not leader),
   * {@link Action.TransferCompleted} or {@link Action.TransferFailed}.
   */
  record TransferLeadership(long token, long target) implements Event {}

  /** The leader asks us to stand for election now; answer with {@link Action.ReplyTransferLeader}. */
  record TransferLeaderReceived(long token, TransferLeaderRequest request) implements Event {}

  // ---- membership (see MembershipChanges) ----

  /**
   * An operator asks this node, which must be the leader, to change the members. {@code expectedIndex} (0 = any)
   * is the log index of the membership the operator last saw: the change is refused if the membership has moved
   * on since. Answered by exactly one {@link Action.MembershipChanged} or {@link Action.MembershipChangeFailed}.
   */
  record ChangeMembership(long token, MembershipCommand command, long expectedIndex) implements Event {}

  /**
   * {@code toldBy}, a member, refused our vote request because it knows this node was removed from the cluster.
   * Ids are never reused, so the node will never be a member again and stops campaigning.
   */
  record RemovedFromCluster(long toldBy) implements Event {}

  // ---- snapshots (see Snapshots) ----

  /**
   * The node finished writing a snapshot of the state machine (durable, in the snapshot store). The core purges
   * its log up to {@code meta}'s last index minus {@code keepTailEntries}, kept for followers slightly behind.
   */
  record SnapshotTaken(SnapshotMeta meta, long keepTailEntries) implements Event {}

  /**
   * A {@link Action.SendSnapshot} to {@code to} ended: {@code response} is the follower's answer, or null when the
   * transfer failed (connection lost, refused, timed out); the leader then retries after a backoff.
   */
  record SnapshotSent(long to, Vote sentWith, SnapshotMeta meta, SnapshotResponse response) implements Event {}

  /**
   * A leader streamed a snapshot to this node and the node holds it, complete and checksum-verified, in a file
   * known by {@code token}. Answer with {@link Action.ReplySnapshot}; install it only on {@link Action.RestoreSnapshot}.
   */
  record SnapshotReceived(long token, Vote vote, SnapshotMeta meta) implements Event {}
}
