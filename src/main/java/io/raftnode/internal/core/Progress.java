package io.raftnode.internal.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a leader knows about one peer's log (Raft §5.3 nextIndex/matchIndex, with etcd's probe/replicate states).
 *
 * <p>Invariants:
 * <ul>
 *   <li>{@code matchIndex} never decreases within a term: the peer acknowledged holding the leader's entries up to
 *       it, and a leader's log prefix that a peer acknowledged is never taken back. The one exception is a peer
 *       found to have lost its log ({@link #lostLog}): matchIndex falls to what it still holds, and no entries go
 *       to it again in this term.</li>
 *   <li>{@code nextIndex >= matchIndex + 1}: the leader never resends what it knows the peer holds.</li>
 *   <li>In PROBE at most one request carrying entries is in flight: the leader does not yet know where the logs
 *       diverge, so it sends one request and waits for the answer before guessing again.</li>
 *   <li>In REPLICATE at most {@code maxInflight} requests carrying entries are in flight, together holding less
 *       than {@code maxInflightBytes} of payload before the last one went out, and {@code nextIndex} moves past
 *       each batch as it is sent (pipelining, thesis §10.2.2). This bounds what a slow follower makes the leader
 *       hold for it.</li>
 *   <li>Heartbeats are never in {@code inflight}.</li>
 *   <li>Waiting for a disk read (alongside PROBE or REPLICATE): the entries from {@code nextIndex} had left the
 *       leader's memory, so it asked for them to be read ({@link Action.ReadEntries}); at most one read per peer is
 *       under way, nothing new goes out until it returns, and its result is used only if {@code nextIndex} is still
 *       where the read began. So a follower far behind is fed at the speed of the disk, one batch per read, and
 *       what the leader holds for it is bounded by the same window as the pipeline.</li>
 * </ul>
 */
final class Progress {

  enum State {
    PROBE,
    REPLICATE,
    /** A snapshot is being sent (see {@link Snapshots}); no entries go out until it ends. */
    SNAPSHOT
  }

  private long matchIndex;
  private long nextIndex;
  private State state = State.PROBE;
  /** Requests carrying entries that await an answer: rpcId to payload bytes. */
  private final Map<Long, Long> inflight = new LinkedHashMap<>();
  private long inflightBytes;
  /** Set after a failed request: no new entries go out until the next heartbeat, so a dead peer is not spun on. */
  private boolean paused;
  /**
   * Set after a failed request, cleared by the peer's next answer. Read rounds leave such a peer to the heartbeat,
   * which keeps calling it, so that read load adds no calls to a peer that is down.
   */
  private boolean failing;
  /** The leader's tick count when the peer last answered anything (check-quorum, thesis §6.2). */
  private long lastHeard;
  /** The highest request id the peer answered at the leader's term: read rounds and the lease count these. */
  private long ackedRpcId;

  Progress(long nextIndex, long now) {
    this.nextIndex = Math.max(1, nextIndex);
    this.lastHeard = now;
  }

  /** The peer answered request {@code rpcId} at tick {@code now}. */
  void heard(long now, long rpcId) {
    lastHeard = Math.max(lastHeard, now);
    ackedRpcId = Math.max(ackedRpcId, rpcId);
    failing = false;
  }

  /** True when the last request to the peer failed and it has not answered anything since. */
  boolean failing() {
    return failing;
  }

  long lastHeard() {
    return lastHeard;
  }

  long ackedRpcId() {
    return ackedRpcId;
  }

  long matchIndex() {
    return matchIndex;
  }

  long nextIndex() {
    return nextIndex;
  }

  State state() {
    return state;
  }

  int inflightCount() {
    return inflight.size();
  }

  void unpause() {
    paused = false;
  }

  long inflightBytes() {
    return inflightBytes;
  }

  /** May another request carrying entries go out now? */
  boolean canSend(int maxInflight, long maxInflightBytes) {
    if (paused || snapshotInFlight || lostLog || readId != 0) return false;
    if (state == State.PROBE) return inflight.isEmpty();
    return inflight.size() < maxInflight && (inflight.isEmpty() || inflightBytes < maxInflightBytes);
  }

  /**
   * Records a request carrying entries up to {@code lastIndex} and {@code bytes} of payload; only REPLICATE
   * moves nextIndex ahead.
   */
  void sent(long rpcId, long lastIndex, long bytes) {
    inflight.put(rpcId, bytes);
    inflightBytes += bytes;
    if (state == State.REPLICATE) nextIndex = lastIndex + 1;
  }

  /** Forgets a request (answered or failed); true when it was one of ours in flight. */
  boolean settle(long rpcId) {
    Long bytes = inflight.remove(rpcId);
    if (bytes == null) return false;
    inflightBytes -= bytes;
    return true;
  }

  /** The peer holds the leader's entries up to {@code index}. A success in PROBE proves the logs now agree. */
  void acknowledged(long index, boolean wholeRequest) {
    matchIndex = Math.max(matchIndex, index);
    nextIndex = Math.max(nextIndex, matchIndex + 1);
    if (wholeRequest && state == State.PROBE) state = State.REPLICATE;
    paused = false;
  }

  /** Back to probing from {@code next} (clamped above matchIndex); outstanding requests no longer count. */
  void probeFrom(long next) {
    if (!snapshotInFlight) state = State.PROBE;
    inflight.clear();
    inflightBytes = 0;
    nextIndex = Math.max(next, matchIndex + 1);
  }

  /**
   * A request failed. A pipeline is rewound to just past what is known to match; a probe keeps its guess, since a
   * lost request says nothing about the peer's log. Either way nothing more goes out before the next heartbeat.
   */
  void failed() {
    probeFrom(state == State.REPLICATE ? matchIndex + 1 : nextIndex);
    paused = true;
    failing = true;
  }

  // ---- entries read from disk ----

  /** The disk read under way for this peer, 0 when none. */
  private long readId;

  boolean awaitingRead() {
    return readId != 0;
  }

  /** A read of the entries from nextIndex was asked for with {@code id}. */
  void readRequested(long id) {
    readId = id;
  }

  /** The read with {@code id} returned; false when it is not the one under way (a stale answer). */
  boolean readReturned(long id) {
    if (id == 0 || id != readId) return false;
    readId = 0;
    return true;
  }

  /** Nothing more goes out before the next heartbeat (a read that found nothing usable is not retried at once). */
  void pause() {
    paused = true;
  }

  // ---- a peer that lost its data ----

  /** Set once the peer answered with a log ending before what it had acknowledged (see Action.PeerLostLog). */
  private boolean lostLog;

  boolean hasLostLog() {
    return lostLog;
  }

  /**
   * The peer holds only up to {@code holds}, below what it acknowledged: its disk was wiped or replaced. Its
   * acknowledgements can no longer be counted, and feeding it the log again under the same id would let a node
   * that forgot its votes and entries take part as if it had not, so nothing more is sent to it.
   */
  void lostLog(long holds) {
    lostLog = true;
    matchIndex = Math.min(matchIndex, holds);
    nextIndex = matchIndex + 1;
    inflight.clear();
    inflightBytes = 0;
  }

  // ---- snapshots ----

  /** Heartbeats left before a failed snapshot transfer may be retried, and the backoff of the next failure. */
  private int snapshotRetryTicks;
  private int snapshotBackoffTicks;

  /**
   * Set while a snapshot is on its way; kept apart from {@code state} so that answers to appends sent before it
   * (which may move the state back to PROBE) cannot start a second transfer.
   */
  private boolean snapshotInFlight;

  boolean snapshotInFlight() {
    return snapshotInFlight;
  }

  /** A snapshot is on its way; entries wait until it is installed. */
  void sendingSnapshot() {
    snapshotInFlight = true;
    state = State.SNAPSHOT;
    inflight.clear();
    inflightBytes = 0;
  }

  /** The peer installed a snapshot up to {@code index}: its log now matches there, so probing resumes after it. */
  void snapshotInstalled(long index) {
    snapshotInFlight = false;
    snapshotBackoffTicks = 0;
    state = State.PROBE;
    matchIndex = Math.max(matchIndex, index);
    nextIndex = matchIndex + 1;
    paused = false;
  }

  /** The transfer failed: try again after {@code backoff} heartbeats, doubling up to {@code maxBackoff}. */
  void snapshotFailed(int backoff, int maxBackoff) {
    snapshotInFlight = false;
    state = State.PROBE;
    snapshotBackoffTicks = snapshotBackoffTicks == 0 ? backoff : Math.min(maxBackoff, snapshotBackoffTicks * 2);
    snapshotRetryTicks = snapshotBackoffTicks;
  }

  /** Counts down the retry backoff; true while it still runs. */
  boolean snapshotBackingOff() {
    return snapshotRetryTicks > 0;
  }

  /** Called once per heartbeat interval. */
  void tickSnapshotBackoff() {
    if (snapshotRetryTicks > 0) snapshotRetryTicks--;
  }

  @Override
  public String toString() {
    return state + (readId != 0 ? "+READING" : "") + "(match=" + matchIndex + ", next=" + nextIndex + ", inflight=" + inflight.size() + "/" + inflightBytes + "B)";
  }
}
