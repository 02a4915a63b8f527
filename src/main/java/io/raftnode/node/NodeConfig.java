package io.raftnode.node;

import io.raftnode.model.HostAndPort;
import io.raftnode.model.Node;
import java.nio.file.Path;
import java.util.SortedMap;

/**
 * A node's whole configuration, read from the JSON file given with {@code -conf}. See README.md for the keys.
 *
 * @param members initial voters; used only to bootstrap an empty data dir
 */
public record NodeConfig(
    long nodeId,
    HostAndPort peerAddress,
    HostAndPort clientAddress,
    Path dataDir,
    SortedMap<Long, Node> members,
    Tls tls,
    ClientTls clientTls,
    RaftTimings raft) {

  /** TLS on the peer port (mTLS: both sides present certificates signed by {@code ca}). */
  public record Tls(boolean enabled, Path cert, Path key, Path ca) {}

  /** TLS on the client port; {@code requireClientCert} asks clients for a certificate signed by {@code ca}. */
  public record ClientTls(boolean enabled, boolean requireClientCert, Path cert, Path key, Path ca) {}

  /** Raft timing, in milliseconds. */
  public record RaftTimings(long heartbeatIntervalMs, long electionTimeoutMinMs, long electionTimeoutMaxMs) {}
}
