package io.raftnode.sim;

import io.raftnode.ProposalFailedException;
import io.raftnode.internal.kv.KvCodec;
import io.raftnode.internal.kv.KvCommand;
import io.raftnode.internal.kv.KvResult;
import io.raftnode.internal.kv.RequestId;
import io.raftnode.internal.service.CallDeadline;
import io.raftnode.internal.service.ClientErrors;
import io.raftnode.internal.service.ClientFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * A client of the simulated cluster: one operation at a time on a few shared keys, sent to the node it believes
 * leads. Writes are Puts and CompareAndSwaps, half of them with a {@link RequestId}, each with a value no other
 * write has; Gets go through the log, take a read index (on any node: a follower asks the leader) or ask the
 * leader's lease. A lease reader does nothing but lease Gets, one right after the other: never held up by a write
 * to a leader that was cut off, it keeps asking that leader for as long as it serves, so a lease that outlives the
 * followers' vote refusal is seen at once (the lease invariant, or a stale value).
 *
 * <p>A failed attempt is judged as a real client judges it, by the status the node's classification gives it
 * ({@link ClientErrors}; README, "Errors"). A status that says "not applied" (NotLeader, a refused connection, a
 * lost log slot) means this attempt had no effect, so it is retried (elsewhere) as the same operation, with or
 * without a request id. Any other failure (a timeout, a crash mid-call) leaves the attempt's outcome unknown. A
 * write without a request id must then never be resent (it could apply twice): it stays open in the history and
 * the client moves on. A write with a request id is resent with the same id until some attempt is answered; the
 * state machine applies it at most once and answers a retry with the recorded result, so the history holds it
 * once, with that answer. Reads are judged alike; one of unknown outcome is dropped.
 */
final class SimClient {
  private static final int MAX_ATTEMPTS = 200;

  /** How a Get is served. */
  enum ReadPath {
    LOG,
    READ_INDEX,
    LEASE
  }

  private final int id;
  private final SimClock clock;
  private final Map<Long, SimNode> nodes;
  private final List<Long> nodeIds;
  private final History history;
  private final Random random;
  private final List<String> keys;
  private long stopAt;
  private final Trace trace;
  private final boolean sabotageIds;
  private final boolean leaseReader;
  private final Predicate<Throwable> notApplied;
  private final Invariants invariants;
  private final SimStats stats;
  private final Map<String, String> lastSeen = new HashMap<>();
  private long target;
  private int written;
  private long sequence;
  int completed;
  int unknown;

  /** One operation in progress: what is sent for it, and whether an earlier attempt may have taken effect. */
  private static final class Call {
    final History.Op op;
    final RequestId requestId;
    final ReadPath readPath;
    int attempts;
    boolean maybeApplied;

    Call(History.Op op, RequestId requestId, ReadPath readPath) {
      this.op = op;
      this.requestId = requestId;
      this.readPath = readPath;
    }
  }

  /**
   * @param sabotageIds a deliberately broken client for the simulator's own tests: it retries writes of unknown
   *                    outcome as if they had request ids, but sends none
   * @param notApplied  whether a failure means "certainly not applied": {@link #NODE_CLASSIFICATION}, or a
   *                    deliberately broken one for the simulator's own tests
   * @param leaseReader a client of lease Gets only, with no pause between them
   */
  SimClient(int id, SimClock clock, Map<Long, SimNode> nodes, History history, Random random, List<String> keys,
      long stopAt, Trace trace, boolean sabotageIds, Predicate<Throwable> notApplied, Invariants invariants,
      boolean leaseReader, SimStats stats) {
    this.id = id;
    this.clock = clock;
    this.nodes = nodes;
    this.nodeIds = new ArrayList<>(nodes.keySet());
    this.history = history;
    this.random = random;
    this.keys = keys;
    this.stopAt = stopAt;
    this.trace = trace;
    this.sabotageIds = sabotageIds;
    this.leaseReader = leaseReader;
    this.notApplied = notApplied;
    this.invariants = invariants;
    this.stats = stats;
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
    if (leaseReader) {
      op = history.get(id, key);
    } else if (dice < 40) {
      op = history.put(id, key, freshValue());
    } else if (dice < 75) {
      op = history.get(id, key);
    } else {
      String expected = lastSeen.get(key);
      if (expected != null && random.nextInt(4) == 0) expected = "c" + id + "-" + random.nextInt(Math.max(1, written));
      op = history.cas(id, key, expected != null, expected, freshValue());
    }
    boolean withId = op.kind != History.Kind.GET && random.nextBoolean();
    RequestId requestId = withId ? new RequestId("c" + id, ++sequence) : null;
    if (op.kind != History.Kind.GET && !withId) invariants.writtenWithoutId(op.value);
    ReadPath path = leaseReader ? ReadPath.LEASE : ReadPath.values()[random.nextInt(ReadPath.values().length)];
    Call call = new Call(op, requestId, op.kind == History.Kind.GET ? path : null);
    // Linearizable reads are served where they arrive, so they often go to any node, which then asks the leader.
    if (call.readPath == ReadPath.READ_INDEX && random.nextBoolean()) target = randomNode();
    trace.add(clock.now(), 0, "client " + id + " invokes " + op + (withId ? " as " + requestId : "")
        + (call.readPath != null ? " by " + call.readPath : ""));
    attempt(call);
  }

  private String freshValue() {
    return "c" + id + "-" + written++;
  }

  private void attempt(Call call) {
    call.attempts++;
    SimNode node = nodes.get(target);
    clock.after(1 + random.nextInt(3), () -> {
      java.util.function.Consumer<SimReply> reply =
          r -> clock.after(1 + random.nextInt(3), () -> onReply(call, r));
      if (call.readPath == ReadPath.READ_INDEX || call.readPath == ReadPath.LEASE) {
        node.read(command(call, false), call.readPath == ReadPath.LEASE, reply);
      } else {
        node.submit(command(call, sabotageIds), reply);
      }
    });
  }

  /** The command sent for {@code call}, with its request id unless {@code withoutId}. */
  private static byte[] command(Call call, boolean withoutId) {
    History.Op op = call.op;
    byte[] key = utf8(op.key);
    RequestId rid = withoutId ? null : call.requestId;
    KvCommand c = switch (op.kind) {
      case PUT -> new KvCommand.Put(key, utf8(op.value), rid);
      case GET -> new KvCommand.Get(key);
      case CAS -> new KvCommand.CompareAndSwap(key, op.expectPresent, op.expectPresent ? utf8(op.expected) : null,
          utf8(op.value), rid);
    };
    return KvCodec.encode(c);
  }

  private void onReply(Call call, SimReply reply) {
    History.Op op = call.op;
    if (reply instanceof SimReply.Applied a) {
      KvResult r = KvCodec.decodeResult(a.result());
      if (r.error() != null) {
        // The client never sends a sequence below one it already had answered, so no answer may call it stale.
        throw new AssertionError("exactly-once: client " + id + " got \"" + r.error() + "\" for " + op);
      }
      String observed = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
      history.ok(op, r.found(), observed);
      if (op.kind == History.Kind.PUT) lastSeen.put(op.key, op.value);
      else lastSeen.put(op.key, observed);
      completed++;
      if (call.readPath == ReadPath.LOG) stats.logReads++;
      else if (call.readPath == ReadPath.READ_INDEX) stats.readIndexReads++;
      else if (call.readPath == ReadPath.LEASE) stats.leaseReads++;
      else if (call.maybeApplied) stats.answeredAfterIdRetry++;
      trace.add(clock.now(), 0, "client " + id + " ok " + op + " after " + call.attempts + " attempts");
      clock.after(leaseReader ? 0 : random.nextInt(20), this::next);
      return;
    }
    SimReply.Failure failure = (SimReply.Failure) reply;
    if (!notApplied.test(failure.asNodeFailure())) {
      call.maybeApplied = true;
      target = randomNode();
      if (call.requestId != null && call.attempts < MAX_ATTEMPTS) {
        // The same id again, wherever the leader now is: the state machine applies it at most once.
        trace.add(clock.now(), 0, "client " + id + " retries " + op + " as " + call.requestId + ": " + failure.why());
        clock.after(2 + random.nextInt(30), () -> attempt(call));
        return;
      }
      giveUp(call, failure.why());
      return;
    }
    if (reply instanceof SimReply.NotLeader n && n.leaderHint() != 0) target = n.leaderHint();
    else target = randomNode();
    if (call.attempts >= MAX_ATTEMPTS) {
      giveUp(call, "no attempt was answered");
      return;
    }
    clock.after(2 + random.nextInt(15), () -> attempt(call));
  }

  /** The operation ends without an answer: unknown if some attempt may have taken effect, else it never happened. */
  private void giveUp(Call call, String why) {
    if (call.maybeApplied) {
      history.unknown(call.op);
      unknown++;
      trace.add(clock.now(), 0, "client " + id + " unknown " + call.op + ": " + why);
    } else {
      history.failed(call.op);
    }
    clock.after(random.nextInt(20), this::next);
  }

  /** The real node's rule: a status README calls "not applied" (ClientErrors classifies, ClientFailure decides). */
  static final Predicate<Throwable> NODE_CLASSIFICATION =
      err -> ClientFailure.certainlyNotApplied(ClientErrors.classifyWrite(err, CallDeadline.NONE).status());

  /**
   * A broken classification for the simulator's own tests, the one the node had before outcomes were told apart:
   * only a proposal timeout leaves a write open; a lost connection or a stopped node counts as not applied.
   */
  static final Predicate<Throwable> UNKNOWN_AS_NOT_APPLIED =
      err -> !(err instanceof ProposalFailedException p && p.reason() == ProposalFailedException.Reason.TIMED_OUT);

  private long randomNode() {
    return nodeIds.get(random.nextInt(nodeIds.size()));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
