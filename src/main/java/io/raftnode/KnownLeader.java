package io.raftnode;

/**
 * The leader a node knows of, possibly the node itself: where a client it refused should go.
 *
 * @param id            the leader's id, 0 when the node knows none
 * @param clientAddress the leader's client address, null when none is known or the membership names none for it
 */
public record KnownLeader(long id, HostAndPort clientAddress) {
  /** No leader known. */
  public static final KnownLeader NONE = new KnownLeader(0, null);
}
