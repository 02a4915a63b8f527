package io.raftnode.internal.model;

/**
 * The identity of a leader (or of a candidate asking to become one): the term and the node id.
 * Mirrors openraft's {@code LeaderId { term, node_id }}.
 */
public record LeaderId(long term, long nodeId) {
  public LeaderId {
    if (term < 0) throw new IllegalArgumentException("term must be >= 0: " + term);
    if (nodeId < 0) throw new IllegalArgumentException("nodeId must be >= 0: " + nodeId);
  }

  @Override
  public String toString() {
    return "T" + Long.toUnsignedString(term) + "-N" + Long.toUnsignedString(nodeId);
  }
}
