package io.raftnode.internal.node;

import io.raftnode.NodeConfig;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.LogOutline;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.storage.StoredSnapshot;
import io.raftnode.statemachine.StateMachine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import java.io.InputStream;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * What a node starts from: the vote, newest snapshot and log in its data dir ({@link #restore}), and for a
 * founding member with an empty data dir the bootstrap entry, written once the other founders' answers allow it
 * ({@link #found}, {@link FounderStart}).
 */
public final class NodeStartup {
  private static final Logger LOG = Logger.getLogger(NodeStartup.class.getName());
  /** The bootstrap entry's id: every founder writes the identical entry 1 of term 0 (leader id 0). */
  static final LogId BOOTSTRAP_ENTRY = LogId.of(0, 0, 1);

  /** The durable state a node starts from. */
  public record Restored(Vote vote, StoredSnapshot snapshot, LogOutline log) {
    boolean empty() {
      return snapshot == null && log.lastLogId() == null;
    }
  }

  private NodeStartup() {}

  /**
   * Restores the newest snapshot into the state machine (on the calling worker thread; nothing else touches the
   * state machine yet) and outlines the log after it: the ids and membership entries, no payloads (the core reads
   * those it needs from disk). Blocking.
   */
  public static Restored restore(NodeStorage opened, StateMachine stateMachine, long nodeId) throws Exception {
    Vote vote = opened.voteStore().load();
    StoredSnapshot snapshot = opened.snapshotStore().latest();
    if (snapshot != null) {
      try (InputStream in = snapshot.openData()) {
        stateMachine.restore(in);
      }
    }
    if (snapshot != null && SnapshotLogAlignment.align(opened.logStore(), snapshot.meta().lastLogId())) {
      LOG.info("node " + nodeId + ": the log did not reach snapshot " + snapshot.meta().snapshotId()
          + " (entries applied before they were durable here); it now continues after the snapshot");
    }
    long after = snapshot == null ? 0 : snapshot.meta().lastIndex();
    // Entries up to the snapshot may still be on disk (the tail kept for slow followers, or a crash between
    // installing a snapshot and purging): the core starts its log after the snapshot.
    return new Restored(vote, snapshot, opened.logStore().outline(after + 1));
  }

  /**
   * A node with state, or one not among the configured members, starts from what it restored. A founding member
   * with an empty data dir bootstraps: alone at once, among several once {@link FounderStart} allows it, which
   * fails the start instead when the cluster already exists. Every founder writes the identical bootstrap entry,
   * so their logs agree from the start.
   */
  public static Future<Restored> found(Vertx vertx, NodeConfig config, NodeStorage storage, Restored restored,
      PeerInbox inbox, GrpcClient grpc, long rpcTimeoutMs) {
    if (!restored.empty() || !config.members().containsKey(config.nodeId())) return Future.succeededFuture(restored);
    if (config.members().size() == 1) return writeBootstrap(vertx, config, storage, restored);
    FounderStart founders = new FounderStart(vertx, grpc, rpcTimeoutMs, config.nodeId(), founders(config),
        config.dataDir(), inbox);
    return founders.decide()
        .compose(decision -> {
          if (!decision.bootstrap()) {
            LOG.severe(decision.refusal());
            return Future.failedFuture(new IllegalStateException(decision.refusal()));
          }
          return writeBootstrap(vertx, config, storage, restored);
        })
        .compose(bootstrapped -> {
          inbox.bootstrapped(BOOTSTRAP_ENTRY);
          return founders.hold(config.membership().bootstrapGraceMs()).map(bootstrapped);
        })
        .eventually(() -> {
          founders.close();
          return Future.succeededFuture();
        });
  }

  private static Future<Restored> writeBootstrap(Vertx vertx, NodeConfig config, NodeStorage storage, Restored restored) {
    return vertx.executeBlocking(() -> {
      Entry initial = new Entry(BOOTSTRAP_ENTRY, new EntryPayload.MembershipChange(Membership.ofVoters(founders(config))));
      storage.logStore().append(0, List.of(initial));
      LOG.info("node " + config.nodeId() + " bootstrapped the cluster of founding members " + config.members().keySet());
      return new Restored(restored.vote(), null, LogOutline.of(List.of(initial)));
    });
  }

  /** The founding members of the config, as the membership model names them. */
  public static SortedMap<Long, Node> founders(NodeConfig config) {
    SortedMap<Long, Node> nodes = new TreeMap<>();
    config.members().forEach((id, m) -> nodes.put(id, new Node(m.peerAddress(), m.clientAddress())));
    return nodes;
  }
}
