package io.raftnode.internal.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A leader's linearizable reads in flight (thesis §6.4). Each read carries the commit index it saw on arrival and
 * the first request id of the heartbeat round sent for it; once a quorum has answered a request with that id or
 * a later one, the leader was still leader after the read arrived, so the index is safe to read at.
 */
final class ReadRounds {
  private record Pending(long token, long index, long firstRpcId) {}

  /** Reads that came before the leader committed an entry of its term: its commit index may still be behind. */
  private final List<Long> awaitingTermCommit = new ArrayList<>();
  /** In arrival order, so firstRpcId never decreases along the queue. */
  private final Deque<Pending> confirming = new ArrayDeque<>();

  void awaitTermCommit(List<Long> tokens) {
    awaitingTermCommit.addAll(tokens);
  }

  /** Hands over (and forgets) the reads that waited for the term's first commit. */
  List<Long> takeAwaitingTermCommit() {
    List<Long> taken = List.copyOf(awaitingTermCommit);
    awaitingTermCommit.clear();
    return taken;
  }

  void add(List<Long> tokens, long index, long firstRpcId) {
    for (long token : tokens) confirming.addLast(new Pending(token, index, firstRpcId));
  }

  /** Every read whose round is covered by {@code quorumRpcId} (the highest id a quorum answered) is ready. */
  void confirm(long quorumRpcId, CoreState s) {
    while (!confirming.isEmpty() && confirming.peekFirst().firstRpcId() <= quorumRpcId) {
      Pending p = confirming.pollFirst();
      s.emit(new Action.ReadIndexReady(p.token(), p.index()));
    }
  }

  /** The leadership ended: no read can be confirmed any more. */
  void failAll(CoreState s) {
    for (long token : awaitingTermCommit) s.emit(new Action.ReadIndexFailed(token, s.leaderId));
    for (Pending p : confirming) s.emit(new Action.ReadIndexFailed(p.token(), s.leaderId));
    awaitingTermCommit.clear();
    confirming.clear();
  }
}
