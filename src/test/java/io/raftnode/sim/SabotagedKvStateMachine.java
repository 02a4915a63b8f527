package io.raftnode.sim;

import io.raftnode.internal.kv.KvCodec;
import io.raftnode.internal.kv.KvCommand;
import io.raftnode.internal.kv.KvResult;
import io.raftnode.internal.kv.KvStateMachine;
import io.raftnode.internal.kv.RequestId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately broken exactly-once table, for the simulator's own tests: like a table that keeps only each
 * client's last sequence, it treats a write below the highest sequence that client had in the log before it either
 * as new ({@link Simulation.Sabotage#REAPPLY_BELOW_LAST_SEQUENCE}: applied again if it was applied already) or as
 * stale ({@link Simulation.Sabotage#REFUSE_BELOW_LAST_SEQUENCE}: refused, even if it never applied).
 *
 * <p>Which sequences came before an index is a fact of the log, kept once per run for all nodes ({@link LogSequences}),
 * so every node, restarted or restored from a snapshot, is broken the same way.
 */
final class SabotagedKvStateMachine extends KvStateMachine {

  /** Per client, the sequence its id'd write at each log index had. */
  static final class LogSequences {
    private final Map<String, TreeMap<Long, Long>> byClient = new HashMap<>();

    /** The highest sequence of {@code client} at an index below {@code index}, or -1. */
    long highestBefore(String client, long index) {
      TreeMap<Long, Long> seen = byClient.get(client);
      if (seen == null) return -1;
      long highest = -1;
      for (long sequence : seen.headMap(index, false).values()) highest = Math.max(highest, sequence);
      return highest;
    }

    void applied(String client, long index, long sequence) {
      byClient.computeIfAbsent(client, c -> new TreeMap<>()).put(index, sequence);
    }
  }

  /** Gives every node this state machine when {@code sabotage} is one of the two it stands for. */
  static void installIfSabotaged(Collection<SimNode> nodes, Simulation.Sabotage sabotage) {
    if (sabotage != Simulation.Sabotage.REAPPLY_BELOW_LAST_SEQUENCE
        && sabotage != Simulation.Sabotage.REFUSE_BELOW_LAST_SEQUENCE) {
      return;
    }
    LogSequences sequences = new LogSequences();
    for (SimNode n : nodes) n.newStateMachine = () -> new SabotagedKvStateMachine(sequences, sabotage);
  }

  private final LogSequences log;
  private final Simulation.Sabotage sabotage;

  SabotagedKvStateMachine(LogSequences log, Simulation.Sabotage sabotage) {
    this.log = log;
    this.sabotage = sabotage;
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    KvCommand decoded = KvCodec.decodeCommand(command);
    RequestId id = decoded.requestId();
    if (id == null) return super.apply(index, command);
    long highest = log.highestBefore(id.clientId(), index);
    log.applied(id.clientId(), index, id.sequence());
    if (id.sequence() >= highest) return super.apply(index, command);
    if (sabotage == Simulation.Sabotage.REFUSE_BELOW_LAST_SEQUENCE) {
      return KvCodec.encode(new KvResult(0, false, null, false, "stale sequence " + id.sequence() + " (sabotaged)"));
    }
    return super.apply(index, KvCodec.encode(withoutId(decoded)));
  }

  private static KvCommand withoutId(KvCommand c) {
    if (c instanceof KvCommand.Put p) return new KvCommand.Put(p.key(), p.value());
    if (c instanceof KvCommand.Delete d) return new KvCommand.Delete(d.key());
    if (c instanceof KvCommand.CompareAndSwap s) {
      return new KvCommand.CompareAndSwap(s.key(), s.expectPresent(), s.expected(), s.newValue());
    }
    return c;
  }
}
