package io.raftnode.internal.kv;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The exactly-once table (Raft thesis §6.3, RIFL's completion records): per client, a floor and the answers of its
 * applied sequences at or above it ({@link ClientAnswers}), so that a retry of any write the client may still be
 * waiting for is answered from here instead of being applied twice. The floor is the highest
 * {@code first_incomplete} the client has sent: it has received every answer below it.
 *
 * <p>Bounded by {@link SessionLimits}. Whenever an answer is dropped, the client's floor rises past it, so a retry of
 * that write is refused as stale rather than applied again. A client's answers beyond {@code maxAnswersPerClient}
 * go lowest sequence first. Over {@code maxAnswers} or {@code maxAnswerBytes} in all, the least recently written
 * client holding more than one answer loses its lowest; only when every client holds at most one does the least
 * recently written client holding one lose it, so each client's newest answer is the last to go. The client
 * itself (its floor) stays: only {@code maxClients} forgets clients, the least recently written first. A forgotten
 * client is new again: a retry of its writes applies again. Everything here follows from the log alone, so every
 * node keeps and forgets the same.
 */
final class ClientSessions {
  /** One client's part, copied for a snapshot: the floor and the answers, ascending by sequence. */
  record ClientRow(String clientId, long floor, long[] sequences, byte[][] results) {}

  private final SessionLimits limits;
  /** Access order: least recently written client first (every command carrying its id counts). */
  private final LinkedHashMap<String, ClientAnswers> byClient = new LinkedHashMap<>(16, 0.75f, true);
  /** The clients holding more than one answer, in the same order: where the total bounds take from first. */
  private final LinkedHashMap<ClientAnswers, Boolean> surplus = new LinkedHashMap<>(16, 0.75f, true);
  /** The clients holding an answer, in the same order: where the total bounds take from when no client has surplus. */
  private final LinkedHashMap<ClientAnswers, Boolean> holding = new LinkedHashMap<>(16, 0.75f, true);
  private long answers;
  private long answerBytes;

  ClientSessions(SessionLimits limits) {
    this.limits = limits;
  }

  /**
   * The client of {@code id} with its floor raised to the id's {@code firstIncomplete} (and the answers below it
   * dropped), now the most recently written; null when the client is unknown (new, or forgotten).
   */
  ClientAnswers lookup(RequestId id) {
    ClientAnswers client = byClient.get(id.clientId());
    if (client == null) return null;
    surplus.get(client);
    holding.get(client);
    if (id.firstIncomplete() > client.floor()) {
      while (client.size() > 0 && client.lowestSequence() < id.firstIncomplete()) dropLowest(client);
      client.raiseFloor(id.firstIncomplete());
    }
    return client;
  }

  /**
   * Records {@code result} as the answer of {@code id}, which was just applied; {@code client} is what
   * {@link #lookup} returned for it. Then applies the bounds.
   */
  void record(ClientAnswers client, RequestId id, byte[] result) {
    if (client == null) {
      client = new ClientAnswers(id.clientId(), id.firstIncomplete());
      byClient.put(id.clientId(), client);
    }
    add(client, id.sequence(), result);
    enforceBounds(client);
  }

  int size() {
    return byClient.size();
  }

  /** Answers held across all clients. */
  long answerCount() {
    return answers;
  }

  long answerBytes() {
    return answerBytes;
  }

  /** A copy of the table, least recently written client first (the order a snapshot must keep). */
  List<ClientRow> rows() {
    List<ClientRow> rows = new ArrayList<>(byClient.size());
    for (ClientAnswers c : byClient.values()) rows.add(new ClientRow(c.clientId, c.floor(), c.sequences(), c.results()));
    return rows;
  }

  /** Adds a client read from a snapshot as the most recently written; {@link #enforceBounds} once all are in. */
  void restore(ClientRow row) {
    if (byClient.containsKey(row.clientId())) throw new IllegalArgumentException("client \"" + row.clientId() + "\" twice");
    ClientAnswers client = new ClientAnswers(row.clientId(), row.floor());
    byClient.put(row.clientId(), client);
    for (int i = 0; i < row.sequences().length; i++) add(client, row.sequences()[i], row.results()[i]);
  }

  /**
   * Applies the bounds after {@code current} recorded an answer (it keeps one at least), or after a restore (null:
   * every client is checked against its own bound).
   */
  void enforceBounds(ClientAnswers current) {
    for (ClientAnswers c : current != null ? List.of(current) : List.copyOf(surplus.keySet())) {
      while (c.size() > limits.maxAnswersPerClient()) dropLowest(c);
    }
    Iterator<ClientAnswers> oldest = byClient.values().iterator();
    while (byClient.size() > limits.maxClients()) {
      ClientAnswers c = oldest.next();
      if (c == current) continue;
      oldest.remove();
      forgotten(c);
    }
    while (answers > limits.maxAnswers() || answerBytes > limits.maxAnswerBytes()) {
      if (!takeOneAnswer(current)) break;
    }
  }

  void clear() {
    byClient.clear();
    surplus.clear();
    holding.clear();
    answers = 0;
    answerBytes = 0;
  }

  /** Frees one answer for the total bounds; false when only {@code current}'s last answer is left. */
  private boolean takeOneAnswer(ClientAnswers current) {
    if (!surplus.isEmpty()) {
      dropLowest(surplus.keySet().iterator().next());
      return true;
    }
    for (ClientAnswers c : holding.keySet()) {
      if (c == current) continue;
      dropLowest(c);
      return true;
    }
    return false;
  }

  private void add(ClientAnswers client, long sequence, byte[] result) {
    client.add(sequence, result);
    answers++;
    answerBytes += result.length;
    if (client.size() == 1) holding.put(client, Boolean.TRUE);
    if (client.size() == 2) surplus.put(client, Boolean.TRUE);
  }

  /** Forgets the client's lowest answer; the floor rises past it, so a copy of that write arriving late is refused. */
  private void dropLowest(ClientAnswers client) {
    long sequence = client.lowestSequence();
    answerBytes -= client.dropLowest();
    answers--;
    client.raiseFloor(sequence + 1);
    if (client.size() < 2) surplus.remove(client);
    if (client.size() == 0) holding.remove(client);
  }

  private void forgotten(ClientAnswers client) {
    surplus.remove(client);
    holding.remove(client);
    answers -= client.size();
    answerBytes -= client.bytes();
  }
}
