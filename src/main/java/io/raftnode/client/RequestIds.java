package io.raftnode.client;

import io.raftnode.proto.RequestId;
import java.util.TreeSet;

/**
 * The client's request ids: one client id, a sequence per write, and first_incomplete, the lowest sequence whose
 * write has not finished, so the node may forget the answers below it (README, "Exactly-once writes"). A write keeps
 * its sequence over all its attempts; it finishes when the client has its answer or has given up on it (it is then
 * never sent again). Used on the client's context only.
 */
final class RequestIds {
  private final String clientId;
  private final TreeSet<Long> unfinished = new TreeSet<>();
  private long next = 1;

  RequestIds(String clientId) {
    this.clientId = clientId;
  }

  /** A new write's sequence. */
  long begin() {
    long sequence = next++;
    unfinished.add(sequence);
    return sequence;
  }

  /** The write with {@code sequence} is answered or given up. */
  void finish(long sequence) {
    unfinished.remove(sequence);
  }

  /** The id to send an attempt of write {@code sequence} with (first_incomplete as of now, at most the sequence). */
  RequestId idFor(long sequence) {
    long first = unfinished.isEmpty() ? sequence : Math.min(sequence, unfinished.first());
    return RequestId.newBuilder().setClientId(clientId).setSequence(sequence).setFirstIncomplete(first).build();
  }

  String clientId() {
    return clientId;
  }
}
