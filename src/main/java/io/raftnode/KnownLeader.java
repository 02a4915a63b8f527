package io.raftnode;


/**
 * The leader a node knows of: {@code id} 0 when it knows none; {@code clientAddress} null when the membership
 * names no client address for it. May be the node itself.
 */
public record KnownLeader(long id, HostAndPort clientAddress) {
  public static final KnownLeader NONE = new KnownLeader(0, null);
}
