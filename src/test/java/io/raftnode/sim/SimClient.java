package io.raftnode.sim;

import io.raftnode.statemachine.KvCodec;
import io.raftnode.statemachine.KvCommand;
import io.raftnode.statemachine.KvResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A client of the simulated cluster: one operation at a time (Put, Get through the log, CompareAndSwap) on a few
 * shared keys, sent to the node it believes leads. NotLeader, a refused connection or a lost slot mean the command
 * certainly had no effect, so it is retried (elsewhere) as the same operation; a timeout or a crash leaves the
 * outcome unknown, the operation stays open in the history, and the client moves on.
 *
 * <p>Without request ids a client must never resend a command whose outcome is unknown (it could apply twice).
 * {@link #command} is the one place that builds the bytes sent; carrying a (client id, sequence) request id there
 * is what would let {@link #onReply} retry unknown outcomes as the same operation.
 */
final class SimClient {
  private static final int MAX_ATTEMPTS = 200;

  private final int id;
  private final SimClock clock;
  private final Map<Long, SimNode> nodes;
  private final List<Long> nodeIds;
  private final History history;
  private final Random random;
  private final List<String> keys;
  private long stopAt;
  private final Trace trace;
  private final Map<String, String> lastSeen = new HashMap<>();
  private long target;
  private int written;
  int completed;
  int unknown;

  SimClient(int id, SimClock clock, Map<Long, SimNode> nodes, History history, Random random, List<String> keys,
      long stopAt, Trace trace) {
    this.id = id;
    this.clock = clock;
    this.nodes = nodes;
    this.nodeIds = new ArrayList<>(nodes.keySet());
    this.history = history;
    this.random = random;
    this.keys = keys;
    this.stopAt = stopAt;
    this.trace = trace;
    this.target = nodeIds.get(random.nextInt(nodeIds.size()));
  }

  /** Issues no new operation from now on; the one in progress still finishes. */
  void stop() {
    stopAt = clock.now();
  }

  void start(long delayMs) {
    clock.after(delayMs, this::next);
  }

  private void next() {
    if (clock.now() >= stopAt) return;
    String key = keys.get(random.nextInt(keys.size()));
    int dice = random.nextInt(100);
    History.Op op;
    if (dice < 40) {
      op = history.put(id, key, freshValue());
    } else if (dice < 75) {
      op = history.get(id, key);
    } else {
      String expected = lastSeen.get(key);
      if (expected != null && random.nextInt(4) == 0) expected = "c" + id + "-" + random.nextInt(Math.max(1, written));
      op = history.cas(id, key, expected != null, expected, freshValue());
    }
    trace.add(clock.now(), 0, "client " + id + " invokes " + op);
    attempt(op, 1);
  }

  private String freshValue() {
    return "c" + id + "-" + written++;
  }

  private void attempt(History.Op op, int attempt) {
    SimNode node = nodes.get(target);
    byte[] command = command(op);
    clock.after(1 + random.nextInt(3), () -> node.submit(command, reply -> clock.after(1 + random.nextInt(3),
        () -> onReply(op, attempt, reply))));
  }

  /** The command for {@code op}; where a request id would be attached. */
  private static byte[] command(History.Op op) {
    byte[] key = utf8(op.key);
    KvCommand c = switch (op.kind) {
      case PUT -> new KvCommand.Put(key, utf8(op.value));
      case GET -> new KvCommand.Get(key);
      case CAS -> new KvCommand.CompareAndSwap(key, op.expectPresent, op.expectPresent ? utf8(op.expected) : null, utf8(op.value));
    };
    return KvCodec.encode(c);
  }

  private void onReply(History.Op op, int attempt, SimNode.Reply reply) {
    if (reply instanceof SimNode.Reply.Applied a) {
      KvResult r = KvCodec.decodeResult(a.result());
      String observed = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
      history.ok(op, r.found(), observed);
      if (op.kind == History.Kind.PUT) lastSeen.put(op.key, op.value);
      else lastSeen.put(op.key, observed);
      completed++;
      trace.add(clock.now(), 0, "client " + id + " ok " + op);
      clock.after(random.nextInt(20), this::next);
    } else if (reply instanceof SimNode.Reply.Unknown u) {
      history.unknown(op);
      unknown++;
      trace.add(clock.now(), 0, "client " + id + " unknown " + op + ": " + u.why());
      target = randomNode();
      clock.after(random.nextInt(20), this::next);
    } else {
      if (reply instanceof SimNode.Reply.NotLeader n && n.leaderHint() != 0) target = n.leaderHint();
      else target = randomNode();
      if (attempt >= MAX_ATTEMPTS) {
        history.failed(op);
        clock.after(random.nextInt(20), this::next);
        return;
      }
      clock.after(2 + random.nextInt(15), () -> attempt(op, attempt + 1));
    }
  }

  private long randomNode() {
    return nodeIds.get(random.nextInt(nodeIds.size()));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
