package io.raftnode.internal.transport;

/**
 * What the transport tells the node's metrics about the traffic with one peer: payload bytes each way (the msgpack
 * messages, without gRPC and HTTP/2 framing) and the round trip of calls that carry no entries. Called on event
 * loops; implementations must be cheap and thread-safe.
 */
public interface PeerTraffic {
  PeerTraffic NONE = new PeerTraffic() {
    @Override
    public void sent(long bytes) {}

    @Override
    public void received(long bytes) {}

    @Override
    public void roundTrip(long nanos) {}
  };

  void sent(long bytes);

  void received(long bytes);

  /** A request that waited for no disk write of its own (a vote, a heartbeat) was answered after {@code nanos}. */
  void roundTrip(long nanos);
}
