package io.raftnode.client;

import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.grpc.client.GrpcClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which node the client calls, and the channel to each node. The target starts as the first address given and
 * moves to the leader as the client learns of it: from the nodes' Status (each names the leader and its client
 * address), asked at the start, after a failure and at most every {@link #REFRESH_NANOS} while calls are made, and
 * from the leader a refusing node names. A node that cannot be reached makes the client move on to the next
 * address it knows. A client told not to follow the leader keeps to the addresses it was given, moving on only when
 * one cannot be reached. Used on the client's context only.
 */
final class Nodes {
  private static final long REFRESH_NANOS = 1_000_000_000L;
  private static final long STATUS_TIMEOUT_MS = 1_000;

  private final GrpcClient grpc;
  private final Context context;
  private final ClientTransport transport;
  /** False: the client calls only the addresses it was given (the nodes forward to the leader). */
  private final boolean followLeader;
  /** Every address the client knows: the ones it was given, then leaders it learnt of. */
  private final LinkedHashSet<NodeAddress> known = new LinkedHashSet<>();
  private final Map<NodeAddress, NodeChannel> channels = new HashMap<>();
  private final Set<NodeAddress> withoutSessions = new HashSet<>();
  private NodeAddress target;
  private volatile String targetText;
  private boolean discovering;
  private long lastDiscoveryNanos;
  private boolean closed;

  Nodes(GrpcClient grpc, Context context, ClientTransport transport, List<NodeAddress> addresses, boolean followLeader) {
    this.grpc = grpc;
    this.context = context;
    this.transport = transport;
    this.followLeader = followLeader;
    known.addAll(addresses);
    moveTo(addresses.get(0));
  }

  NodeAddress target() {
    return target;
  }

  /** The current target as text; safe from any thread. */
  String targetText() {
    return targetText;
  }

  /** The channel to {@code node}: a session unless the client is set to unary or the node serves no sessions. */
  NodeChannel channel(NodeAddress node) {
    NodeChannel channel = channels.get(node);
    if (channel == null || !channel.usable()) {
      channel = transport == ClientTransport.SESSION && !withoutSessions.contains(node)
          ? new SessionChannel(grpc, node, context)
          : new UnaryChannel(grpc, node);
      channels.put(node, channel);
    }
    return channel;
  }

  /** The node answered UNIMPLEMENTED for sessions: call it over unary KvService from now on. */
  void sessionsNotServed(NodeAddress node) {
    withoutSessions.add(node);
  }

  /** A node named {@code address} as the leader. */
  void leaderNamed(String address) {
    if (!followLeader) return;
    try {
      NodeAddress leader = NodeAddress.parse(address);
      known.add(leader);
      moveTo(leader);
    } catch (IllegalArgumentException garbled) {
      // a garbled hint is no hint: keep the target
    }
  }

  /** Calls to {@code node} failed without an answer (or it knows no leader): try the next node, and ask who leads. */
  void failedAt(NodeAddress node) {
    if (node.equals(target)) {
      List<NodeAddress> all = new ArrayList<>(known);
      moveTo(all.get((all.indexOf(node) + 1) % all.size()));
    }
    discover();
  }

  /** Asks again who leads if the last time was a while ago; called as calls are made. */
  void refreshIfDue() {
    if (System.nanoTime() - lastDiscoveryNanos >= REFRESH_NANOS) discover();
  }

  /**
   * Asks every known node for its Status: a node that says it leads becomes the target; failing that, the leader a
   * node names.
   */
  void discover() {
    if (discovering || closed || !followLeader) return;
    discovering = true;
    lastDiscoveryNanos = System.nanoTime();
    List<Future<StatusResponse>> answers = new ArrayList<>();
    List<NodeAddress> asked = new ArrayList<>(known);
    for (NodeAddress node : asked) {
      answers.add(UnaryChannel.call(grpc, node, AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance(),
          STATUS_TIMEOUT_MS).onSuccess(status -> {
            if (status.getRole().equals("leader") && !closed) moveTo(node);
          }));
    }
    Future.join(answers).onComplete(done -> {
      discovering = false;
      if (closed) return;
      for (int i = 0; i < asked.size(); i++) {
        if (answers.get(i).succeeded() && answers.get(i).result().getRole().equals("leader")) return;
      }
      for (Future<StatusResponse> answer : answers) {
        String leader = answer.succeeded() ? leaderAddress(answer.result()) : null;
        if (leader != null) {
          leaderNamed(leader);
          return;
        }
      }
    });
  }

  private static String leaderAddress(StatusResponse status) {
    if (status.getLeaderId() == 0) return null;
    for (MemberStatus member : status.getMembersList()) {
      if (member.getNodeId() == status.getLeaderId() && !member.getClientAddress().isEmpty()) return member.getClientAddress();
    }
    return null;
  }

  private void moveTo(NodeAddress node) {
    target = node;
    targetText = node.toString();
  }

  void close() {
    closed = true;
    channels.values().forEach(NodeChannel::close);
    channels.clear();
  }
}
