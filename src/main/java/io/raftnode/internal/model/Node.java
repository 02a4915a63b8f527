package io.raftnode.internal.model;

/** How to reach a member: its peer (RaftService) address and its client (KvService/AdminService) address. */
public record Node(String peerAddress, String clientAddress) {
  public Node {
    if (peerAddress == null) throw new IllegalArgumentException("peerAddress must not be null");
    if (clientAddress == null) clientAddress = "";
  }
}
