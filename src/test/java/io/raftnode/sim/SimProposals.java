package io.raftnode.sim;

import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One life of a simulated node's client proposals, as the node's PendingProposals: the proposals of one turn go
 * to the core as one Propose, and a proposal completes only when the entry applied at its index has its LogId.
 */
final class SimProposals {

  private record Waiting(Consumer<SimReply> reply, long deadline) {}

  private record Accepted(LogId logId, Consumer<SimReply> reply, long deadline) {}

  private final SimNode node;
  private final Map<Long, Waiting> byToken = new HashMap<>();
  private final TreeMap<Long, Accepted> byIndex = new TreeMap<>();
  private List<Event.Proposal> batch = new ArrayList<>();

  SimProposals(SimNode node) {
    this.node = node;
  }

  void submit(byte[] command, Consumer<SimReply> reply, long deadline) {
    long token = node.newToken();
    byToken.put(token, new Waiting(reply, deadline));
    if (batch.isEmpty()) {
      int inc = node.incarnation;
      node.clock.after(0, () -> node.whenRunning(inc, this::flush));
    }
    batch.add(new Event.Proposal(token, new EntryPayload.Normal(command)));
  }

  private void flush() {
    if (batch.isEmpty()) return;
    List<Event.Proposal> proposals = batch;
    batch = new ArrayList<>();
    node.step(new Event.Propose(proposals));
  }

  /** Carries out ProposalAccepted / ProposalRejected; false for any other action. */
  boolean execute(Action action) {
    if (action instanceof Action.ProposalAccepted a) {
      Waiting w = byToken.remove(a.token());
      if (w != null) byIndex.put(a.logId().index(), new Accepted(a.logId(), w.reply(), w.deadline()));
    } else if (action instanceof Action.ProposalRejected r) {
      Waiting w = byToken.remove(r.token());
      if (w != null) w.reply().accept(new SimReply.NotLeader(r.leaderHint()));
    } else {
      return false;
    }
    return true;
  }

  /** The entry at its index applied with {@code result}: the proposal there succeeded, or lost its slot. */
  void applied(Entry entry, byte[] result) {
    Accepted accepted = byIndex.remove(entry.index());
    if (accepted == null) return;
    if (accepted.logId().equals(entry.logId())) accepted.reply().accept(new SimReply.Applied(entry.index(), result));
    else accepted.reply().accept(new SimReply.NotApplied(entry.index()));
  }

  void expire(long now) {
    for (Iterator<Accepted> it = byIndex.values().iterator(); it.hasNext(); ) {
      Accepted a = it.next();
      if (a.deadline() <= now) {
        it.remove();
        a.reply().accept(new SimReply.TimedOut(a.logId().index(), Simulation.PROPOSAL_TIMEOUT_MS,
            "proposal at " + a.logId() + " timed out on node " + node.id));
      }
    }
  }

  /** The node crashed: every proposal still waiting learns nothing more. */
  List<Consumer<SimReply>> orphans() {
    List<Consumer<SimReply>> orphans = new ArrayList<>();
    byToken.values().forEach(w -> orphans.add(w.reply()));
    byIndex.values().forEach(a -> orphans.add(a.reply()));
    byToken.clear();
    byIndex.clear();
    batch = new ArrayList<>();
    return orphans;
  }
}
