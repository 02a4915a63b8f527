package io.raftnode.sim;

import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.kv.KvStateMachine;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.statemachine.SnapshotWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One life of a simulated node's snapshots, as the node's Snapshotting and StateMachineRunner: a snapshot is taken
 * once enough entries applied since the last (or when the fault schedule asks), captured by the production
 * {@code KvStateMachine.snapshot()} and written a while later (applies go on meanwhile) with its production
 * serialization; once stored, the core hears SnapshotTaken and purges. SendSnapshot carries the stored bytes over
 * the simulated network; an installed snapshot goes to disk in order with the log writes and the state machine
 * restores from it once it is durable, applies waiting until then.
 */
final class SimSnapshots {

  /** How a run takes snapshots: after {@code thresholdEntries} applied, purging all but {@code keepTail}. */
  record Settings(long thresholdEntries, long keepTail) {}

  private record Inbound(long from, int incarnation, long callId, byte[] data) {}

  private final SimNode node;
  private final Settings settings;
  private final Map<Long, Inbound> inbound = new HashMap<>();
  private final Map<Long, SimMessage.SnapshotCall> outbound = new HashMap<>();
  private long nextCall = 1;
  private boolean taking;
  /** Non-null while leaders' snapshots are being installed: applies wait in it. */
  private List<Entry> held;
  private int installsUnderWay;
  private LogId lastApplied;
  private StoredMembership membership = new StoredMembership(null, Membership.empty());

  SimSnapshots(SimNode node, Settings settings, SimDisk.Snapshot restored) {
    this.node = node;
    this.settings = settings;
    if (restored != null) restoredAt(restored.meta());
  }

  private void restoredAt(SnapshotMeta meta) {
    lastApplied = meta.lastLogId();
    membership = meta.lastMembership();
  }

  /** Applies {@code entries} through {@code apply}, or holds them while a snapshot is being installed. */
  void apply(List<Entry> entries, Consumer<Entry> apply) {
    if (held != null) {
      held.addAll(entries);
      return;
    }
    for (Entry e : entries) {
      apply.accept(e);
      lastApplied = e.logId();
      if (e.payload() instanceof EntryPayload.MembershipChange m) membership = new StoredMembership(e.logId(), m.membership());
    }
    long latest = latestIndex();
    if (!entries.isEmpty() && LogId.indexOf(lastApplied) - latest >= settings.thresholdEntries()) take();
  }

  /** True while a leader's snapshot is being installed: the state machine is behind the core's applied index. */
  boolean installing() {
    return held != null;
  }

  private long latestIndex() {
    SimDisk.Snapshot s = node.disk.durableSnapshot();
    return s == null ? 0 : s.meta().lastIndex();
  }

  /** Captures the state now and writes it a little later, as the files thread does. */
  void take() {
    if (taking || held != null || lastApplied == null || LogId.indexOf(lastApplied) <= latestIndex()) return;
    taking = true;
    SnapshotWriter writer = node.stateMachine.snapshot();
    SnapshotMeta meta = new SnapshotMeta(lastApplied, membership,
        lastApplied.term() + "-" + node.id + "-" + lastApplied.index() + "-" + node.clock.now());
    int inc = node.incarnation;
    node.clock.after(1 + (node.clock.now() + node.id) % 20, () -> {
      if (inc != node.incarnation) {
        writer.release();
        return;
      }
      node.whenRunning(inc, () -> {
        byte[] data = write(writer);
        node.disk.storeSnapshot(meta, data);
        node.snapshotStored(meta, data);
        taking = false;
        node.step(new Event.SnapshotTaken(meta, settings.keepTail()));
      });
    });
  }

  /** Replaces the state machine's state with a snapshot's, through the production deserialization. */
  static void restore(KvStateMachine stateMachine, byte[] data) {
    try {
      stateMachine.readSnapshot(new ByteArrayInputStream(data));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(SnapshotWriter writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.writeTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.release();
    }
  }

  /** Carries out a snapshot action; false for any other action. */
  boolean execute(Action action) {
    if (action instanceof Action.PurgeLog p) {
      node.disk.purge(p.upTo());
    } else if (action instanceof Action.SendSnapshot s) {
      send(s);
    } else if (action instanceof Action.RestoreSnapshot r) {
      restore(r);
    } else if (action instanceof Action.ReplySnapshot r) {
      Inbound in = inbound.remove(r.token());
      if (in != null) node.send(in.from(), new SimMessage.SnapshotAnswer(in.incarnation(), in.callId(), r.response()));
    } else {
      return false;
    }
    return true;
  }

  /** Sends the newest stored snapshot, as the node does whatever the action's meta says. */
  private void send(Action.SendSnapshot send) {
    SimDisk.Snapshot latest = node.disk.durableSnapshot();
    if (latest == null) {
      node.step(new Event.SnapshotSent(send.to(), send.vote(), send.meta(), null));
      return;
    }
    long callId = nextCall++;
    SimMessage.SnapshotCall call = new SimMessage.SnapshotCall(node.incarnation, callId, send.to(), send.vote(),
        latest.meta(), latest.data());
    outbound.put(callId, call);
    node.send(send.to(), call);
    int inc = node.incarnation;
    node.clock.after(2 * node.rpcTimeoutMs, () -> node.whenRunning(inc, () -> {
      SimMessage.SnapshotCall lost = outbound.remove(callId);
      if (lost != null) node.step(new Event.SnapshotSent(lost.to(), lost.vote(), lost.meta(), null));
    }));
  }

  void onAnswer(SimMessage.SnapshotAnswer answer) {
    SimMessage.SnapshotCall call = answer.incarnation() == node.incarnation ? outbound.remove(answer.callId()) : null;
    if (call != null) node.step(new Event.SnapshotSent(call.to(), call.vote(), call.meta(), answer.response()));
  }

  void onCall(long from, SimMessage.SnapshotCall call) {
    long token = node.newToken();
    inbound.put(token, new Inbound(from, call.incarnation(), call.callId(), call.data()));
    node.step(new Event.SnapshotReceived(token, call.vote(), call.meta()));
  }

  private void restore(Action.RestoreSnapshot restore) {
    Inbound in = inbound.get(restore.token());
    if (in == null) throw new IllegalStateException("a snapshot to install has no data: token " + restore.token());
    if (held == null) held = new ArrayList<>();
    installsUnderWay++;
    SnapshotMeta meta = restore.meta();
    int inc = node.incarnation;
    node.disk.install(meta, in.data(), restore.truncateFrom(), () -> node.whenRunning(inc, () -> {
      if (node.sabotage != Simulation.Sabotage.INSTALL_WITHOUT_RESTORE) restore(node.stateMachine, in.data());
      restoredAt(meta);
      node.snapshotRestored(meta, in.data());
      node.stats.installs++;
      // Entries held since an earlier install are included in this snapshot.
      held.removeIf(e -> e.index() <= meta.lastIndex());
      if (--installsUnderWay > 0) return;
      List<Entry> waiting = held;
      held = null;
      node.applyEntries(waiting);
    }));
    node.onInstall.accept(node);
  }
}
