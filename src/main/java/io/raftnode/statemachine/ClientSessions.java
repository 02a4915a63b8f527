package io.raftnode.statemachine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Per client, the last write sequence applied and its encoded result (Raft thesis §6.3), so that a retried write
 * is answered from here instead of being applied twice. Bounded: when a new client would exceed
 * {@code maxClients}, the client whose last write applied at the lowest log index is forgotten. The order depends
 * only on the log, so every node forgets the same client.
 */
final class ClientSessions {
  record Session(long sequence, long index, byte[] result) {}

  private final int maxClients;
  /** Ordered by the log index of each client's last write, oldest first. */
  private final LinkedHashMap<String, Session> byClient = new LinkedHashMap<>();

  ClientSessions(int maxClients) {
    if (maxClients < 1) throw new IllegalArgumentException("maxClients must be >= 1: " + maxClients);
    this.maxClients = maxClients;
  }

  /** The client's session, or null when the client is unknown (new, or forgotten). */
  Session get(String clientId) {
    return byClient.get(clientId);
  }

  /** Records that the client's write {@code sequence} applied at {@code index} with {@code result}. */
  void record(String clientId, long sequence, long index, byte[] result) {
    byClient.remove(clientId);
    byClient.put(clientId, new Session(sequence, index, result));
    Iterator<String> oldest = byClient.keySet().iterator();
    while (byClient.size() > maxClients) {
      oldest.next();
      oldest.remove();
    }
  }

  int size() {
    return byClient.size();
  }

  /** Every session, oldest first (the order a snapshot must keep). */
  void forEach(BiConsumer<String, Session> action) {
    for (Map.Entry<String, Session> e : byClient.entrySet()) action.accept(e.getKey(), e.getValue());
  }

  void clear() {
    byClient.clear();
  }
}
