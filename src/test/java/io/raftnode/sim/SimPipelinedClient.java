package io.raftnode.sim;

import io.raftnode.internal.kv.KvCodec;
import io.raftnode.internal.kv.KvCommand;
import io.raftnode.internal.kv.KvResult;
import io.raftnode.internal.kv.RequestId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A client that pipelines: up to {@code window} writes with request ids in flight at once, each sent with the
 * client's {@code first_incomplete} (the lowest sequence it still waits for), so they reach the log in any order
 * and any of them may be retried after later ones applied. A write of unknown outcome is resent with the same id
 * (to a random node, then wherever NotLeader points) until some attempt is answered.
 *
 * <p>Each write is a CompareAndSwap from absent on a key of its own, recorded once in the history with the answer
 * the client finally got. Applied twice, the second application fails against the value the first wrote, and the
 * history is not linearizable; a retry refused as stale fails the run at once, since the client never declared
 * that write answered.
 */
final class SimPipelinedClient {
  private static final int MAX_ATTEMPTS = 200;

  private final int id;
  private final String clientId;
  private final SimClock clock;
  private final Map<Long, SimNode> nodes;
  private final List<Long> nodeIds;
  private final History history;
  private final Random random;
  private final int window;
  private final long stopAt;
  private final Trace trace;
  private final SimStats stats;
  /** The writes not answered (nor given up) yet, by sequence: the lowest is the client's first_incomplete. */
  private final TreeMap<Long, Call> open = new TreeMap<>();
  private long target;
  private long lastSequence;
  private long highestAnswered;
  private boolean fillScheduled;

  private static final class Call {
    final long sequence;
    final History.Op op;
    int attempts;
    boolean maybeApplied;

    Call(long sequence, History.Op op) {
      this.sequence = sequence;
      this.op = op;
    }
  }

  SimPipelinedClient(int id, SimClock clock, Map<Long, SimNode> nodes, History history, Random random, int window,
      long stopAt, Trace trace, SimStats stats) {
    this.id = id;
    this.clientId = "p" + id;
    this.clock = clock;
    this.nodes = nodes;
    this.nodeIds = new ArrayList<>(nodes.keySet());
    this.history = history;
    this.random = random;
    this.window = window;
    this.stopAt = stopAt;
    this.trace = trace;
    this.stats = stats;
    this.target = randomNode();
  }

  void start(long delayMs) {
    clock.after(delayMs, this::fill);
  }

  private void fill() {
    fillScheduled = false;
    while (open.size() < window && clock.now() < stopAt) issue();
  }

  private void scheduleFill() {
    if (fillScheduled) return;
    fillScheduled = true;
    // Slower than the other clients between bursts: its writes add entries and keys to every run.
    clock.after(100 + random.nextInt(200), this::fill);
  }

  private void issue() {
    long sequence = ++lastSequence;
    String key = clientId + "-" + sequence;
    Call call = new Call(sequence, history.cas(id, key, false, null, key));
    open.put(sequence, call);
    trace.add(clock.now(), 0, "client " + clientId + " invokes " + call.op + " as sequence " + sequence
        + " with " + open.size() + " in flight");
    attempt(call);
  }

  private void attempt(Call call) {
    call.attempts++;
    SimNode node = nodes.get(target);
    // first_incomplete as of this attempt: a retry may say more than the first attempt did.
    RequestId requestId = new RequestId(clientId, call.sequence, open.firstKey());
    byte[] key = call.op.key.getBytes(StandardCharsets.UTF_8);
    byte[] command = KvCodec.encode(new KvCommand.CompareAndSwap(key, false, null, key, requestId));
    clock.after(1 + random.nextInt(3), () ->
        node.submit(command, reply -> clock.after(1 + random.nextInt(3), () -> onReply(call, reply))));
  }

  private void onReply(Call call, SimReply reply) {
    if (reply instanceof SimReply.Applied a) {
      answered(call, KvCodec.decodeResult(a.result()));
      return;
    }
    if (reply instanceof SimReply.TimedOut || reply instanceof SimReply.Lost) {
      String why = ((SimReply.Failure) reply).why();
      call.maybeApplied = true;
      target = randomNode();
      if (call.attempts >= MAX_ATTEMPTS) {
        giveUp(call, why);
        return;
      }
      trace.add(clock.now(), 0, "client " + clientId + " retries sequence " + call.sequence + ": " + why);
      clock.after(2 + random.nextInt(30), () -> attempt(call));
      return;
    }
    target = reply instanceof SimReply.NotLeader n && n.leaderHint() != 0 ? n.leaderHint() : randomNode();
    if (call.attempts >= MAX_ATTEMPTS) {
      giveUp(call, "no attempt was answered");
      return;
    }
    clock.after(2 + random.nextInt(15), () -> attempt(call));
  }

  private void answered(Call call, KvResult r) {
    if (r.error() != null) {
      throw new AssertionError("exactly-once: pipelined client " + clientId + " got \"" + r.error() + "\" for "
          + call.op + " (sequence " + call.sequence + ", first incomplete " + open.firstKey() + ")");
    }
    String observed = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
    history.ok(call.op, r.found(), observed);
    open.remove(call.sequence);
    stats.pipelinedWrites++;
    if (call.maybeApplied) stats.pipelinedAnsweredAfterRetry++;
    if (call.sequence < highestAnswered) stats.pipelinedAnsweredOutOfOrder++;
    highestAnswered = Math.max(highestAnswered, call.sequence);
    trace.add(clock.now(), 0, "client " + clientId + " ok " + call.op + " after " + call.attempts + " attempts");
    scheduleFill();
  }

  /**
   * The client stops waiting: unknown if some attempt may have taken effect, else it never happened. Either way it
   * no longer counts as incomplete, so a copy still in some log may be refused as stale when it applies.
   */
  private void giveUp(Call call, String why) {
    open.remove(call.sequence);
    if (call.maybeApplied) {
      history.unknown(call.op);
      trace.add(clock.now(), 0, "client " + clientId + " unknown " + call.op + ": " + why);
    } else {
      history.failed(call.op);
    }
    scheduleFill();
  }

  private long randomNode() {
    return nodeIds.get(random.nextInt(nodeIds.size()));
  }
}
