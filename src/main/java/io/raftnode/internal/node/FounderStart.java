package io.raftnode.internal.node;

import io.raftnode.HostAndPort;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import io.raftnode.internal.transport.AppendEncodings;
import io.raftnode.internal.transport.PeerClient;
import io.raftnode.internal.transport.PeerRequestChecks;
import io.raftnode.internal.transport.RemoteCallException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * How a founding member (its id is in {@code "members"}) with an empty data dir starts. It may be starting a new
 * cluster, or it may be a member that lost its disk: then it may have voted and acknowledged entries it no longer
 * has, and must not take part under its old id (Raft thesis §11.3; etcd refuses such a member unless told it joins).
 * So before it writes the bootstrap entry it asks the other founders ({@link #decide}), with a probe: a pre-vote
 * that claims no log, which changes nothing on the node that answers. Each answer carries the answering node's term
 * and last log id.
 *
 * <ul>
 *   <li>Any answer from a cluster that has formed (a term above 0, entries past the bootstrap entry, or a refusal
 *       saying the cluster does not list or has removed this id): the node refuses to start.</li>
 *   <li>Answers from a majority of the founders (itself included), all showing a cluster at its start: it
 *       bootstraps.</li>
 *   <li>Fewer: it keeps asking, and says it is waiting.</li>
 * </ul>
 *
 * <p>Founders start at different times, and a cluster formed by the first ones must not make a later one refuse.
 * So a founder that has just bootstrapped does not stand for election ({@link #hold}) until every other founder
 * either probed it (and so saw it at the start) or has itself bootstrapped, or until the grace period
 * ({@code raft.bootstrap_grace_ms}) ends. A founder that comes after the grace period is treated like one that lost
 * its disk: the operator adds it under a new id.
 */
final class FounderStart {
  private static final Logger LOG = Logger.getLogger(FounderStart.class.getName());
  private static final long RETRY_MS = 200;
  private static final long WAITING_LOG_MS = 5000;

  /** What the other founders' answers say. */
  record Decision(boolean bootstrap, String refusal) {}

  private enum Seen { AT_START, BOOTSTRAPPED, FORMED }

  private final Vertx vertx;
  private final long selfId;
  private final Path dataDir;
  private final PeerInbox inbox;
  private final Map<Long, PeerClient> founders = new TreeMap<>();
  private final Map<Long, Seen> answers = new TreeMap<>();
  private final int majority;
  private String formed;
  private long lastWaitingLog;

  FounderStart(Vertx vertx, GrpcClient grpc, long rpcTimeoutMs, long selfId, SortedMap<Long, Node> members,
      Path dataDir, PeerInbox inbox) {
    this.vertx = vertx;
    this.selfId = selfId;
    this.dataDir = dataDir;
    this.inbox = inbox;
    this.majority = members.size() / 2 + 1;
    AppendEncodings encodings = new AppendEncodings();
    members.forEach((id, node) -> {
      if (id != selfId) {
        founders.put(id, new PeerClient(vertx, grpc, HostAndPort.parse(node.peerAddress()), rpcTimeoutMs, false,
            encodings));
      }
    });
  }

  /** Asks the other founders until their answers decide. */
  Future<Decision> decide() {
    LOG.info("node " + selfId + " is a founding member with an empty data dir: asking the other founders "
        + founders.keySet() + " whether the cluster already exists");
    lastWaitingLog = System.nanoTime();
    Promise<Decision> decision = Promise.promise();
    probeUntil(this::decisionNow, founders.keySet(), decision);
    return decision.future();
  }

  /**
   * After bootstrapping: completes once every other founder probed this node or has bootstrapped itself, or once
   * {@code graceMs} passed.
   */
  Future<Void> hold(long graceMs) {
    long until = System.nanoTime() + graceMs * 1_000_000;
    Promise<Boolean> released = Promise.promise();
    probeUntil(() -> {
      if (notCleared().isEmpty()) return true;
      if (System.nanoTime() - until < 0) return null;
      LOG.info("node " + selfId + ": founders " + notCleared() + " were not heard from within " + graceMs
          + " ms; it stands for election without them");
      return true;
    }, null, released);
    return released.future().mapEmpty();
  }

  /** Closes the probing clients. */
  void close() {
    founders.values().forEach(PeerClient::close);
  }

  /**
   * Runs {@code check}; until it gives an answer, probes {@code targets} (null: the founders not yet cleared)
   * and checks again a little later.
   */
  private <T> void probeUntil(Supplier<T> check, Set<Long> targets, Promise<T> done) {
    T result = check.get();
    if (result != null) {
      done.complete(result);
      return;
    }
    List<Future<Void>> round = new ArrayList<>();
    for (long id : targets == null ? notCleared() : targets) round.add(probe(id));
    Future.join(round).onComplete(v -> vertx.setTimer(RETRY_MS, t -> probeUntil(check, targets, done)));
  }

  /** One probe; its answer replaces the founder's previous one. A founder that does not answer keeps it. */
  private Future<Void> probe(long id) {
    VoteRequest probe = new VoteRequest(Vote.of(1, selfId, false), null, false, true);
    return founders.get(id).vote(probe).transform(done -> {
      if (done.succeeded()) {
        answers.put(id, seen(id, done.result()));
      } else if (done.cause() instanceof RemoteCallException refused
          && refused.status() == GrpcStatus.FAILED_PRECONDITION) {
        answers.put(id, Seen.FORMED);
        boolean removed = PeerRequestChecks.REMOVED_FROM_CLUSTER.equals(refused.metadata(PeerRequestChecks.REFUSAL_REASON));
        formed = "node " + id + (removed ? " says id " + selfId + " was removed from the cluster"
            : " does not count it as a member (" + refused.statusMessage() + ")");
      }
      return Future.succeededFuture();
    });
  }

  /** A term of 0 and at most the bootstrap entry (term 0, index 1): the cluster has not formed yet. */
  private Seen seen(long id, VoteResponse answer) {
    LogId last = answer.lastLogId();
    if (answer.vote().term() == 0 && (last == null || (last.term() == 0 && last.index() <= 1))) {
      return last == null ? Seen.AT_START : Seen.BOOTSTRAPPED;
    }
    formed = "node " + id + " answered that the cluster already exists (term " + answer.vote().term()
        + ", log up to index " + LogId.indexOf(last) + ")";
    return Seen.FORMED;
  }

  private Decision decisionNow() {
    if (formed != null) return new Decision(false, refusal(formed));
    long atStart = answers.values().stream().filter(seen -> seen != Seen.FORMED).count();
    if (atStart + 1 >= majority) return new Decision(true, null);
    if (System.nanoTime() - lastWaitingLog > WAITING_LOG_MS * 1_000_000) {
      lastWaitingLog = System.nanoTime();
      LOG.info("node " + selfId + " is waiting for founders: " + answers.size() + " of " + founders.size()
          + " answered, " + (majority - 1) + " needed to bootstrap");
    }
    return null;
  }

  /** The other founders that might still be probing and must see this node at the cluster's start. */
  private Set<Long> notCleared() {
    Set<Long> waiting = new TreeSet<>(founders.keySet());
    waiting.removeAll(inbox.probedBy());
    answers.forEach((id, seen) -> {
      if (seen != Seen.AT_START) waiting.remove(id);
    });
    return waiting;
  }

  private String refusal(String why) {
    return "node " + selfId + " refuses to start: its data dir " + dataDir + " is empty, but " + why + ". A member"
        + " that lost its data must not rejoin under its old id: it may have voted or acknowledged entries it no longer"
        + " has. Replace it: remove id " + selfId + " (member remove " + selfId + "), start this machine with a new"
        + " node_id and \"members\": {}, add it as a learner and promote it (scripts/cluster.sh replace " + selfId
        + "; README, \"Replacing a node that lost its disk\")";
  }
}
