package io.raftnode.internal.node;

import io.raftnode.RaftNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of one kind of change ({@link RaftNode#onLeaderChange}, {@link RaftNode#onMembershipChange}).
 * The Raft loop reports what it sees after each step with {@link #observe}; a value equal to the last one is no
 * change. Each listener is called on the context it registered from ({@link CallerContexts}), never on the Raft
 * loop, with every value in the order the loop saw them: all of them are handed over from the Raft loop, the first
 * one included, and a context runs what it is handed in order.
 *
 * @param <T> the value reported
 */
public final class ChangeListeners<T> {
  private final CopyOnWriteArrayList<Listener<T>> listeners = new CopyOnWriteArrayList<>();
  /** Set by the Raft loop; null until the node runs. Read elsewhere only to know whether it runs. */
  private volatile T current;
  private volatile CallerContexts contexts;
  private volatile RaftLoopCalls loop;

  /** The node runs: values are handed to listeners through {@code contexts}, from {@code loop}. */
  public void start(CallerContexts contexts, RaftLoopCalls loop) {
    this.contexts = contexts;
    this.loop = loop;
    for (Listener<T> listener : listeners) {
      if (listener.delivery == null) listener.delivery = contexts.ordered(listener.context);
    }
  }

  /** Registers {@code consumer}; it hears the value now (once the node runs) and every change after. */
  public RaftNode.Registration add(Consumer<T> consumer) {
    Listener<T> listener = new Listener<>(consumer, Vertx.currentContext());
    if (contexts != null) listener.delivery = contexts.ordered(listener.context);
    listeners.add(listener);
    RaftLoopCalls running = loop;
    if (running != null) {
      running.run(() -> {
        T now = current;
        if (now != null) deliver(listener, now);
      });
    }
    return () -> {
      listener.cancelled = true;
      listeners.remove(listener);
    };
  }

  /** On the Raft loop: the value after a step. */
  public void observe(T value) {
    if (Objects.equals(value, current)) return;
    current = value;
    for (Listener<T> listener : listeners) deliver(listener, value);
  }

  private void deliver(Listener<T> listener, T value) {
    CallerContexts.Delivery delivery = listener.delivery;
    if (delivery == null) delivery = listener.delivery = contexts.ordered(listener.context);
    delivery.run(() -> listener.hear(value));
  }

  private static final class Listener<T> {
    private final Consumer<T> consumer;
    private final Context context;
    private volatile boolean cancelled;
    /** Set once the node runs; then used from the Raft loop only. */
    private volatile CallerContexts.Delivery delivery;
    /** Touched only on the listener's context, where deliveries run one at a time. */
    private T lastHeard;

    Listener(Consumer<T> consumer, Context context) {
      this.consumer = consumer;
      this.context = context;
    }

    /** A registration racing a change can be handed the same value twice; it hears it once. */
    void hear(T value) {
      if (cancelled || Objects.equals(value, lastHeard)) return;
      lastHeard = value;
      consumer.accept(value);
    }
  }
}
