package io.raftnode;

/** A snapshot was asked for (a backup of the newest one) and the node has none yet. */
public final class NoSnapshotException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * The node has no snapshot to open.
   *
   * @param nodeId the node asked
   */
  public NoSnapshotException(long nodeId) {
    super("node " + nodeId + " has no snapshot yet; take one (snapshot take) or save without --use-latest");
  }
}
