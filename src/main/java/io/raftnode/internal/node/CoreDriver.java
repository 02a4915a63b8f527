package io.raftnode.internal.node;

import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.core.RaftCore;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Steps the core one event at a time and carries out its actions strictly in the order emitted, on the node's
 * event loop.
 *
 * <p>Two queues make the order hold by construction. Events submitted while a step's actions are being carried out
 * (an action whose outcome is known at once, a state machine that applies on the loop) wait in {@link #events}
 * until every action of the step before them has been carried out, so a step never runs inside another step's
 * actions. Actions that must wait for the disk ({@link Action#awaitsPriorPersistence()}) wait in {@link #held}
 * with the write they depend on, and leave it in order as the writes become durable; every other action runs at
 * once (a leader sends entries while it writes them itself).
 */
final class CoreDriver {
  private record Held(Action action, Future<Void> durable) {}

  private final Function<Event, List<Action>> core;
  private final Supplier<Future<Void>> lastWrite;
  private final Consumer<Action> execute;
  private final BiConsumer<String, Throwable> fail;
  private final Runnable afterStep;
  private final ArrayDeque<Event> events = new ArrayDeque<>();
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private boolean draining;
  private boolean stopped;

  /**
   * @param core       steps the Raft core ({@link RaftCore#step})
   * @param lastWrite  the completion of the last disk write submitted so far (completions come in order)
   * @param execute    carries out one action
   * @param fail       stops the node: the core broke or an action could not be carried out
   * @param afterStep  runs after each step, before its actions (reporting role changes)
   */
  CoreDriver(Function<Event, List<Action>> core, Supplier<Future<Void>> lastWrite, Consumer<Action> execute,
      BiConsumer<String, Throwable> fail, Runnable afterStep) {
    this.core = core;
    this.lastWrite = lastWrite;
    this.execute = execute;
    this.fail = fail;
    this.afterStep = afterStep;
  }

  /** Steps {@code event} now, or after the actions being carried out when called from one of them. */
  void submit(Event event) {
    if (stopped) return;
    events.add(event);
    drain();
  }

  /** No event is stepped and no action carried out from now on. */
  void stop() {
    stopped = true;
    events.clear();
    held.clear();
  }

  private void drain() {
    if (draining) return;
    draining = true;
    try {
      while (!stopped) {
        releaseDurable();
        Event next = events.poll();
        if (next == null) break;
        stepOnce(next);
      }
    } finally {
      draining = false;
    }
  }

  private void stepOnce(Event event) {
    List<Action> actions;
    try {
      actions = core.apply(event);
    } catch (RuntimeException e) {
      fail.accept("the Raft core failed on " + event.getClass().getSimpleName(), e);
      return;
    }
    afterStep.run();
    for (Action action : actions) {
      if (stopped) return;
      if (action.awaitsPriorPersistence()) {
        hold(action);
      } else {
        run(action);
      }
    }
  }

  /** Held actions leave in order: one whose write is durable still waits behind an earlier one still held. */
  private void hold(Action action) {
    Future<Void> durable = lastWrite.get();
    if (held.isEmpty() && durable.succeeded()) {
      run(action);
      return;
    }
    held.add(new Held(action, durable));
    if (!durable.isComplete()) durable.onSuccess(v -> drain());
  }

  /** Carries out the held actions whose writes are durable, oldest first; a failed write stops the node anyway. */
  private void releaseDurable() {
    while (!stopped && !held.isEmpty() && held.peekFirst().durable().succeeded()) {
      run(held.pollFirst().action());
    }
  }

  private void run(Action action) {
    try {
      execute.accept(action);
    } catch (RuntimeException e) {
      fail.accept("carrying out " + action.getClass().getSimpleName() + " failed", e);
    }
  }
}
