package io.raftnode.internal.service;

import io.raftnode.Applied;
import io.raftnode.HostAndPort;
import io.raftnode.KnownLeader;
import io.raftnode.LeaderChange;
import io.raftnode.MembershipChange;
import io.raftnode.NodeStatus;
import io.raftnode.NotLeaderException;
import io.raftnode.internal.node.InternalNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An {@link InternalNode} whose answers a test scripts: by default a follower (node 1) of node 2 at {@link #leader}, so
 * every write is forwarded there. Set {@link #leader} to null for a node that knows no leader, or {@link #propose}
 * to make it lead and fail or answer proposals as the test needs.
 */
final class FakeRaftNode implements InternalNode {
  private final Vertx vertx;
  volatile HostAndPort leader;
  volatile long leaderId = 2;
  volatile Supplier<Future<Applied>> propose = () -> Future.failedFuture(new NotLeaderException(leaderId()));

  FakeRaftNode(Vertx vertx, HostAndPort leader) {
    this.vertx = vertx;
    this.leader = leader;
  }

  private long leaderId() {
    return leader == null ? 0 : leaderId;
  }

  @Override
  public long nodeId() {
    return 1;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Future<Applied> propose(byte[] command) {
    return propose.get();
  }

  @Override
  public Future<byte[]> query(byte[] query) {
    return Future.failedFuture(new UnsupportedOperationException("no state here"));
  }

  @Override
  public Future<byte[]> linearizableRead(byte[] query) {
    return Future.failedFuture(new NotLeaderException(leaderId()));
  }

  @Override
  public Future<byte[]> leaseRead(byte[] query) {
    return Future.failedFuture(new NotLeaderException(leaderId()));
  }

  @Override
  public Future<Long> transferLeadership(long target) {
    return Future.failedFuture(new NotLeaderException(leaderId()));
  }

  @Override
  public long proposalTimeoutMs() {
    return 10_000;
  }

  @Override
  public Future<NodeStatus> status() {
    return Future.succeededFuture(new NodeStatus(1, "follower", 1, leaderId(), 0, 0, 0, 0, List.of(1L, 2L, 3L), List.of(),
        0, List.of(), false, List.of(), List.of(), List.of(), "test", 0, 0, NodeStatus.FlowControl.NONE));
  }

  @Override
  public Future<HostAndPort> leaderClientAddress() {
    return Future.succeededFuture(leader);
  }

  @Override
  public Future<KnownLeader> knownLeader() {
    return Future.succeededFuture(leader == null ? KnownLeader.NONE : new KnownLeader(leaderId, leader));
  }

  @Override
  public HttpClientOptions clientPortCallOptions() {
    return new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
  }

  @Override
  public Future<byte[]> query(byte[] query, long minAppliedIndex, long timeoutMs) {
    return Future.failedFuture(new UnsupportedOperationException("no state here"));
  }

  @Override
  public Future<KnownLeader> leaderKnown() {
    return knownLeader();
  }

  @Override
  public Registration onLeaderChange(Consumer<LeaderChange> listener) {
    return () -> {};
  }

  @Override
  public Registration onMembershipChange(Consumer<MembershipChange> listener) {
    return () -> {};
  }
}
