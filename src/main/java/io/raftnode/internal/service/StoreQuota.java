package io.raftnode.internal.service;

import io.raftnode.NotLeaderException;
import io.raftnode.internal.kv.KvCodec;
import io.raftnode.internal.kv.KvCommand;
import io.raftnode.internal.kv.KvResult;
import io.raftnode.internal.kv.KvStateMachine;
import io.raftnode.internal.node.InternalNode;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The key-value store's quota ({@code limits.max_store_bytes}), kept by the leader before it proposes, as etcd's
 * {@code --quota-backend-bytes}: a Put or CompareAndSwap is admitted while the store's bytes, plus the bytes of the
 * writes admitted and not yet applied, plus its own stay within the quota. Past it the write is refused
 * RESOURCE_EXHAUSTED not-applied without a retry hint (waiting frees nothing: deleting keys does), unless it
 * replaces a value at least as large (it cannot grow the store). Deletes and reads are never refused.
 *
 * <p>Never decided in {@code apply}: nodes with other heaps or configs would then apply different entries. Only the
 * node that proposes decides; a node that is not the leader leaves it to the leader it forwards to.
 *
 * <p>The estimate errs on refusing: each write counts as a new key ({@link KvStateMachine#storeBytesOf}) and is
 * held at that size until its call completes, after the store's figure already includes it; a replacement of a
 * larger value is admitted past the quota but still held at its full size, so a delete of the same key applying
 * before it cannot make room for others twice. A new leader does not hold the writes its predecessor admitted that
 * it has not applied yet: the store may pass the quota by those, at most {@code limits.max_pending_proposal_bytes}.
 */
final class StoreQuota {
  /** For a state machine whose size is not known: nothing is refused. */
  static final StoreQuota NONE = new StoreQuota(null, null, Long.MAX_VALUE);

  private final InternalNode node;
  private final LongSupplier storeBytes;
  private final long quota;
  /** The bytes of the writes admitted here whose calls have not completed. */
  private final AtomicLong pending = new AtomicLong();

  private StoreQuota(InternalNode node, LongSupplier storeBytes, long quota) {
    this.node = node;
    this.storeBytes = storeBytes;
    this.quota = quota;
  }

  /** The quota of {@code node}'s store when it runs the built-in key-value store; {@link #NONE} otherwise. */
  static StoreQuota of(InternalNode node) {
    if (!(node.stateMachine() instanceof KvStateMachine kv)) return NONE;
    return new StoreQuota(node, kv::storeBytes, node.limits().maxStoreBytes());
  }

  /**
   * Admits {@code command}: completes with the bytes held for it, to {@link #release} when its call completes,
   * or fails with the refusal ({@link ClientFailure}), or with {@link NotLeaderException} when a write past the
   * quota reached a node that is not the leader (the router then forwards it).
   */
  Future<Long> admit(KvCommand command) {
    if (storeBytes == null) return Future.succeededFuture(0L);
    byte[] value;
    if (command instanceof KvCommand.Put put) value = put.value();
    else if (command instanceof KvCommand.CompareAndSwap cas) value = cas.newValue();
    else return Future.succeededFuture(0L);
    long cost = KvStateMachine.storeBytesOf(command.key().length, value.length);
    if (tryReserve(cost)) return Future.succeededFuture(cost);
    return node.knownLeader().compose(leader -> {
      if (leader.id() != node.nodeId()) return Future.failedFuture(new NotLeaderException(leader.id()));
      return currentValueBytes(command.key()).compose(current -> {
        if (current < value.length) return Future.failedFuture(refusal(cost));
        pending.addAndGet(cost);
        return Future.succeededFuture(cost);
      });
    });
  }

  /** Gives back what {@link #admit} held for a write whose call completed (applied, or failed in any way). */
  void release(long bytes) {
    if (bytes != 0) pending.addAndGet(-bytes);
  }

  private boolean tryReserve(long cost) {
    long store = storeBytes.getAsLong();
    while (true) {
      long held = pending.get();
      if (store + held + cost > quota) return false;
      if (pending.compareAndSet(held, held + cost)) return true;
    }
  }

  /** The size of the key's value in this node's store, -1 when it has none (or it cannot be read now). */
  private Future<Integer> currentValueBytes(byte[] key) {
    return node.query(KvCodec.encode(new KvCommand.Get(key)))
        .map(bytes -> {
          KvResult current = KvCodec.decodeResult(bytes);
          return current.found() ? current.value().length : -1;
        })
        .otherwise(-1);
  }

  private ClientFailure refusal(long cost) {
    return new ClientFailure(GrpcStatus.RESOURCE_EXHAUSTED, "the key-value store holds " + storeBytes.getAsLong()
        + " bytes and " + pending.get() + " bytes of writes are not applied yet: this write (" + cost + " bytes) would "
        + "take it past limits.max_store_bytes (" + quota + "); it was not applied. Delete keys to make room: "
        + "retrying does not help until then", ClientFailure.Reason.NOT_APPLIED);
  }

  /** The store's bytes now (for Status), -1 when the node's state machine is not the key-value store. */
  long storeBytes() {
    return storeBytes == null ? -1 : storeBytes.getAsLong();
  }

  long quota() {
    return quota;
  }
}
