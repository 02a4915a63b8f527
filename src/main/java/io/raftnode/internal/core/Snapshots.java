package io.raftnode.internal.core;

import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.Vote;

/**
 * Snapshots in the core: compacting the log once the node has taken one, sending one to a peer whose next entry
 * was purged (the peer's progress is then in SNAPSHOT state until the transfer ends), and installing one a leader
 * sent. The state machine's bytes never pass through here; the core sees only {@link SnapshotMeta}.
 */
final class Snapshots {
  private final CoreState s;

  Snapshots(CoreState s) {
    this.s = s;
  }

  void step(Event event) {
    if (event instanceof Event.SnapshotTaken t) {
      onTaken(t.meta(), t.keepTailEntries());
    } else if (event instanceof Event.SnapshotSent sent) {
      onSent(sent);
    } else if (event instanceof Event.SnapshotReceived r) {
      onReceived(r.token(), r.vote(), r.meta());
    } else {
      throw new IllegalArgumentException("not a snapshot event: " + event);
    }
  }

  /**
   * A leader's replication to {@code peer} goes through a snapshot when the entry before the peer's next index was
   * purged. Returns true when no entries may go out now: a snapshot was just sent, is in flight, or waits for its
   * retry backoff after a failure.
   */
  static boolean divert(CoreState s, long peer, Progress p) {
    if (p.snapshotInFlight() || p.hasLostLog()) return true;
    if (p.nextIndex() > s.log.baseIndex() || s.snapshot == null) return false;
    if (p.snapshotBackingOff()) return true;
    p.sendingSnapshot();
    s.emit(new Action.SendSnapshot(peer, s.vote, s.snapshot));
    return true;
  }

  /** Keeps the newest snapshot and purges the log up to its last index minus the tail kept for slow followers. */
  private void onTaken(SnapshotMeta meta, long keepTail) {
    if (meta.lastIndex() > s.appliedIndex)
      throw new IllegalStateException("snapshot " + meta.lastLogId() + " is beyond the applied index " + s.appliedIndex);
    if (s.snapshot != null && meta.lastIndex() <= s.snapshot.lastIndex()) return;
    s.snapshot = meta;
    long purgeTo = meta.lastIndex() - Math.max(0, keepTail);
    if (purgeTo <= s.log.baseIndex()) return;
    LogId upTo = s.log.logIdAt(purgeTo);
    s.log.purgeUpTo(upTo);
    s.emit(new Action.PurgeLog(upTo));
  }

  private void onSent(Event.SnapshotSent sent) {
    SnapshotResponse response = sent.response();
    if (response != null && response.vote().term() > s.term()) {
      s.stepDown(response.vote().term()); // §5.1: the follower has seen a newer term
      return;
    }
    if (s.leadership == null || sent.sentWith().term() != s.term()) return;
    Progress p = s.leadership.peers().get(sent.to());
    if (p == null || !p.snapshotInFlight()) return;
    if (response == null) {
      p.snapshotFailed(2, 32); // in heartbeats: the next attempt skips one heartbeat, then 4, 8, ... up to 32
      return;
    }
    p.snapshotInstalled(sent.meta().lastIndex());
    s.leadership.replicateAll();
    s.leadership.advanceCommit();
  }

  /**
   * A leader's snapshot, received and verified by the node. A stale leader is refused by vote. A snapshot that
   * adds nothing (at or below the commit index) is acknowledged without installing it. Otherwise the log keeps
   * the entries after the snapshot when it holds the snapshot's last id (they match the leader's), and is dropped
   * whole when it does not; the state machine takes the snapshot's state.
   */
  private void onReceived(long token, Vote vote, SnapshotMeta meta) {
    if (vote.term() < s.term()) {
      reply(token);
      return;
    }
    s.updateVote(Vote.of(vote.term(), vote.votedFor(), true));
    s.becomePassive(vote.votedFor());
    if (meta.lastIndex() <= s.commitIndex) {
      reply(token);
      return;
    }
    boolean keepSuffix = meta.lastIndex() <= s.log.lastIndex() && s.log.holds(meta.lastLogId());
    long truncateFrom = keepSuffix || s.log.lastIndex() == s.log.baseIndex() ? 0 : s.log.baseIndex() + 1;
    if (keepSuffix) {
      s.log.purgeUpTo(meta.lastLogId());
    } else {
      s.log.resetTo(meta.lastLogId(), meta.lastMembership());
      s.durableIndex = meta.lastIndex();
    }
    s.membershipMayHaveChanged();
    s.snapshot = meta;
    s.commitIndex = meta.lastIndex();
    s.appliedIndex = meta.lastIndex();
    s.emit(new Action.RestoreSnapshot(token, meta, truncateFrom));
    reply(token);
  }

  private void reply(long token) {
    s.emit(new Action.ReplySnapshot(token, new SnapshotResponse(s.vote)));
  }
}
