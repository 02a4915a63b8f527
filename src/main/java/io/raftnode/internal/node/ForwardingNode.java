package io.raftnode.internal.node;

import io.raftnode.Applied;
import io.raftnode.KnownLeader;
import io.raftnode.LeaderChange;
import io.raftnode.MembershipChange;
import io.raftnode.NodeStatus;
import io.raftnode.RaftNode;
import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * An {@link InternalNode} whose embedding API is another handle's: the node's public handle keeps only the
 * embedding API, and the internal view its services get adds the rest on top of it.
 */
public abstract class ForwardingNode implements InternalNode {
  private final RaftNode handle;

  protected ForwardingNode(RaftNode handle) {
    this.handle = handle;
  }

  @Override
  public long nodeId() {
    return handle.nodeId();
  }

  @Override
  public Future<Applied> propose(byte[] command) {
    return handle.propose(command);
  }

  @Override
  public Future<Void> proposalRoom() {
    return handle.proposalRoom();
  }

  @Override
  public Future<byte[]> query(byte[] query) {
    return handle.query(query);
  }

  @Override
  public Future<byte[]> query(byte[] query, long minAppliedIndex, long timeoutMs) {
    return handle.query(query, minAppliedIndex, timeoutMs);
  }

  @Override
  public Future<byte[]> linearizableRead(byte[] query) {
    return handle.linearizableRead(query);
  }

  @Override
  public Future<byte[]> leaseRead(byte[] query) {
    return handle.leaseRead(query);
  }

  @Override
  public Future<KnownLeader> leaderKnown() {
    return handle.leaderKnown();
  }

  @Override
  public Registration onLeaderChange(Consumer<LeaderChange> listener) {
    return handle.onLeaderChange(listener);
  }

  @Override
  public Registration onMembershipChange(Consumer<MembershipChange> listener) {
    return handle.onMembershipChange(listener);
  }

  @Override
  public Future<Long> transferLeadership(long target) {
    return handle.transferLeadership(target);
  }

  @Override
  public Future<NodeStatus> status() {
    return handle.status();
  }

  @Override
  public Future<KnownLeader> knownLeader() {
    return handle.knownLeader();
  }

  @Override
  public Future<Long> takeSnapshot() {
    return handle.takeSnapshot();
  }
}
