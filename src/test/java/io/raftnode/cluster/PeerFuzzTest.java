package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.codec.Mutants;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.node.NodeStartup;
import io.raftnode.internal.transport.PeerRequestChecks;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutants of the golden vectors of docs/PROTOCOL.md sent to a live follower's Vote and AppendEntries: each
 * is answered with the status the codec and {@link PeerRequestChecks} predict, within its deadline, and the
 * follower's term, leader and log stay as they were.
 */
@Timeout(120)
class PeerFuzzTest {
  private static final long SEED = 0xf022_2026L;
  private static final int MUTANTS = 400;
  private static final int IN_FLIGHT = 32;

  @TempDir
  Path dataDirs;

  private record Probe(boolean vote, byte[] data, GrpcStatus expected) {}

  @Test
  void mutantsGetTypedRefusalsAndChangeNothing() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long target = leader == 1 ? 2 : 1;
      Membership membership = Membership.ofVoters(NodeStartup.founders(cluster.config(target)));
      List<Probe> probes = probes(membership);
      // Followers learn the commit index from the next heartbeat: wait until the target has caught up, so any
      // later change could only come from the probes.
      TestCluster.awaitCondition("the follower to learn the leader's commit index", () -> {
        StatusResponse l = cluster.client(leader).status();
        StatusResponse t = cluster.client(target).status();
        return l != null && t != null && t.getCommitIndex() == l.getCommitIndex() && t.getAppliedIndex() == l.getCommitIndex();
      });
      StatusResponse before = cluster.client(target).status();
      try (PeerCalls calls = new PeerCalls(cluster.vertx, cluster.config(target).peerAddress(), PeerCalls.plaintext())) {
        for (int start = 0; start < probes.size(); start += IN_FLIGHT) {
          List<Probe> batch = probes.subList(start, Math.min(probes.size(), start + IN_FLIGHT));
          List<Future<RaftPayload>> answers = new ArrayList<>();
          batch.forEach(p -> answers.add(p.vote() ? calls.vote(p.data()) : calls.append(p.data())));
          for (int i = 0; i < batch.size(); i++) {
            Probe probe = batch.get(i);
            assertEquals(probe.expected(), PeerCalls.status(answers.get(i)),
                (probe.vote() ? "Vote " : "AppendEntries ") + HexFormat.of().formatHex(probe.data()));
          }
        }
      }
      StatusResponse after = cluster.client(target).status();
      assertEquals(before.getTerm(), after.getTerm(), "term unchanged");
      assertEquals(leader, after.getLeaderId(), "same leader");
      assertEquals(before.getLastLogIndex(), after.getLastLogIndex(), "log unchanged");
      assertEquals(before.getCommitIndex(), after.getCommitIndex(), "commit index unchanged");
      assertTrue(await(cluster.client(target).put("after-fuzz", "ok")).getRevision() > before.getLastLogIndex());
    }
  }

  /**
   * Mutants of every golden vector, sent as both requests. A mutant that is a valid, acceptable request could
   * rightly change the node's state, so it is left out; every other one has a predictable refusal.
   */
  private static List<Probe> probes(Membership membership) throws Exception {
    List<Mutants.Golden> goldens = Mutants.goldens();
    List<Mutants.Golden> requests = goldens.stream()
        .filter(g -> g.type().equals("VoteRequest") || g.type().equals("AppendEntriesRequest")).toList();
    Random random = new Random(SEED);
    List<Probe> probes = new ArrayList<>();
    probes.add(new Probe(true, new byte[0], GrpcStatus.INVALID_ARGUMENT));
    probes.add(new Probe(false, new byte[0], GrpcStatus.INVALID_ARGUMENT));
    int skipped = 0;
    while (probes.size() < MUTANTS) {
      // Mostly mutants of the two request types, which get past the decoder most often.
      List<Mutants.Golden> pool = random.nextInt(4) == 0 ? goldens : requests;
      Mutants.Golden seed = pool.get(random.nextInt(pool.size()));
      byte[] data = Mutants.mutate(seed.bytes(), goldens, random);
      boolean vote = random.nextBoolean();
      GrpcStatus expected = vote
          ? expected(data, RaftCodec::decodeVoteRequest, r -> check(() -> PeerRequestChecks.checkVote(r, membership)))
          : expected(data, RaftCodec::decodeAppendEntriesRequest, r -> check(() -> PeerRequestChecks.checkAppend(r)));
      if (expected == GrpcStatus.OK) {
        skipped++;
      } else {
        probes.add(new Probe(vote, data, expected));
      }
    }
    assertTrue(skipped < MUTANTS, "most mutants are refusable; skipped " + skipped);
    probes.addAll(crafted());
    return probes;
  }

  /** Hand-made bad requests that random mutation rarely hits: each kind of refusal at least once. */
  private static List<Probe> crafted() {
    long huge = PeerRequestChecks.MAX_TERM_OR_INDEX + 1;
    byte[] maxU64Term = HexFormat.of().parseHex("83a4766f746582a96c65616465725f696482a47465726dcfffffffffffffffffa76e6f64655f696402"
        + "a9636f6d6d6974746564c2ab6c6173745f6c6f675f6964c0b36c6561646572736869705f7472616e73666572c2");
    byte[] stringTerm = HexFormat.of().parseHex("83a4766f746582a96c65616465725f696482a47465726da133a76e6f64655f696402"
        + "a9636f6d6d6974746564c2ab6c6173745f6c6f675f6964c0b36c6561646572736869705f7472616e73666572c2");
    return List.of(
        new Probe(true, maxU64Term, GrpcStatus.INVALID_ARGUMENT),
        new Probe(true, stringTerm, GrpcStatus.INVALID_ARGUMENT),
        new Probe(true, RaftCodec.encodeVoteRequest(new VoteRequest(Vote.of(huge, 2, false), null, false)),
            GrpcStatus.INVALID_ARGUMENT),
        new Probe(true, RaftCodec.encodeVoteRequest(new VoteRequest(Vote.of(99, 0, false), null, false)),
            GrpcStatus.INVALID_ARGUMENT),
        new Probe(false, RaftCodec.encodeAppendEntriesRequest(new AppendEntriesRequest(Vote.of(huge, 1, true), null,
            List.of(), null)), GrpcStatus.INVALID_ARGUMENT),
        new Probe(false, RaftCodec.encodeAppendEntriesRequest(new AppendEntriesRequest(Vote.of(99, 1, true),
            LogId.of(1, 1, 1), List.of(new Entry(LogId.of(99, 1, 3), new EntryPayload.Blank())), null)),
            GrpcStatus.INVALID_ARGUMENT));
  }

  private interface Decoder<T> {
    T decode(byte[] bytes) throws CodecException;
  }

  private static <T> GrpcStatus expected(byte[] data, Decoder<T> decoder, Function<T, GrpcStatus> checks) {
    T request;
    try {
      request = decoder.decode(data);
    } catch (CodecException e) {
      return GrpcStatus.INVALID_ARGUMENT;
    }
    return checks.apply(request);
  }

  private static GrpcStatus check(Runnable checks) {
    try {
      checks.run();
      return GrpcStatus.OK;
    } catch (StatusException e) {
      return e.status();
    }
  }
}
