package io.raftnode.internal.core;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import java.util.List;

/** The receiving side of AppendEntries (Raft §5.3): follow the leader, keep the log matching, learn the commit. */
final class AppendHandler {

  /** "Nothing matches": the follower has no entry the leader could build on. */
  static final LogId NOTHING_MATCHES = LogId.of(0, 0, 0);

  private final CoreState s;

  AppendHandler(CoreState s) {
    this.s = s;
  }

  void onRequest(long token, AppendEntriesRequest request) {
    if (request.vote().term() < s.term()) {
      reply(token, new AppendEntriesResponse.HigherVote(s.vote)); // §5.1: reject a stale leader
      return;
    }
    s.updateVote(Vote.of(request.vote().term(), request.leaderNodeId(), true));
    s.becomePassive(request.leaderNodeId());
    s.lastLeaderContact = s.ticks;
    LogId prev = request.prevLogId();
    if (!s.log.holds(prev)) {
      reply(token, new AppendEntriesResponse.Conflict(conflictHint(prev)));
      return;
    }
    accept(request.entries());
    // Only what this request proved to match may be committed here: entries beyond it may still be replaced.
    s.commitTo(Math.min(LogId.indexOf(request.leaderCommit()), LogId.indexOf(request.lastLogId())));
    reply(token, AppendEntriesResponse.Success.INSTANCE);
  }

  /**
   * Our last entry that may still match the leader: at or below prev's index with a term no later than prev's.
   * Entries of later terms cannot be in the leader's log at those indexes, so the leader can skip them all.
   */
  private LogId conflictHint(LogId prev) {
    long i = Math.min(prev.index(), s.log.lastIndex());
    while (i > 0 && s.log.termAt(i) > prev.term()) i--;
    return i == 0 ? NOTHING_MATCHES : s.log.logIdAt(i);
  }

  /**
   * Skips entries we already hold and truncates at the first one that differs (§5.3). A stale or duplicated
   * request whose entries we all hold changes nothing, so it can never cut entries beyond its own last one.
   */
  private void accept(List<Entry> entries) {
    int first = 0;
    while (first < entries.size() && s.log.holds(entries.get(first).logId())) first++;
    if (first == entries.size()) return;
    List<Entry> fresh = entries.subList(first, entries.size());
    long start = fresh.get(0).index();
    long truncateFrom = start <= s.log.lastIndex() ? start : 0;
    if (truncateFrom > 0) s.truncateFrom(truncateFrom);
    s.log.append(fresh);
    s.emit(new Action.AppendToLog(truncateFrom, fresh));
    boolean membershipTouched =
        truncateFrom > 0 || fresh.stream().anyMatch(e -> e.payload() instanceof EntryPayload.MembershipChange);
    if (membershipTouched) s.membershipMayHaveChanged();
  }

  private void reply(long token, AppendEntriesResponse response) {
    s.emit(new Action.ReplyAppend(token, response));
  }
}
