package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The order in which the driver steps events and carries out actions. */
class CoreDriverTest {
  private final List<String> log = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private Future<Void> lastWrite = Future.succeededFuture();

  private static Action reply(long token) {
    return new Action.ReplyVote(token, new VoteResponse(Vote.INITIAL, false, null));
  }

  private static Action send(long token) {
    return new Action.TransferRejected(token, 0); // any action that need not wait for the disk
  }

  private static long tokenOf(Action a) {
    return a instanceof Action.ReplyVote r ? r.token() : ((Action.TransferRejected) a).token();
  }

  private CoreDriver driver(Map<Long, List<Action>> actionsByEvent, Consumer<Action> alsoOnExecute) {
    return new CoreDriver(event -> {
      long token = ((Event.LeaseRead) event).token();
      log.add("step " + token);
      return actionsByEvent.getOrDefault(token, List.of());
    }, () -> lastWrite, action -> {
      log.add((action.awaitsPriorPersistence() ? "reply " : "send ") + tokenOf(action));
      alsoOnExecute.accept(action);
    }, (what, e) -> failures.add(what), () -> {});
  }

  @Test
  void anEventSubmittedByAnActionIsSteppedAfterTheRestOfTheStepsActions() {
    CoreDriver[] d = new CoreDriver[1];
    d[0] = driver(Map.of(1L, List.of(send(10), send(11)), 2L, List.of(send(20))), action -> {
      if (tokenOf(action) == 10) d[0].submit(new Event.LeaseRead(2));
    });
    d[0].submit(new Event.LeaseRead(1));
    assertEquals(List.of("step 1", "send 10", "send 11", "step 2", "send 20"), log);
    assertTrue(failures.isEmpty());
  }

  @Test
  void actionsThatAwaitTheDiskWaitForTheWriteBeforeThemAndLeaveInOrder() {
    Promise<Void> first = Promise.promise();
    Promise<Void> second = Promise.promise();
    CoreDriver d = driver(Map.of(1L, List.of(reply(10), send(11)), 2L, List.of(reply(20), send(21))), a -> {});
    lastWrite = first.future();
    d.submit(new Event.LeaseRead(1));
    lastWrite = second.future();
    d.submit(new Event.LeaseRead(2));
    assertEquals(List.of("step 1", "send 11", "step 2", "send 21"), log);
    second.complete(); // the later write is durable first: its reply still waits behind the earlier one
    assertEquals(List.of("step 1", "send 11", "step 2", "send 21"), log);
    first.complete();
    assertEquals(List.of("step 1", "send 11", "step 2", "send 21", "reply 10", "reply 20"), log);
  }

  @Test
  void aReplyWhoseWritesAreDurableGoesAtOnce() {
    CoreDriver d = driver(Map.of(1L, List.of(reply(10), send(11))), a -> {});
    d.submit(new Event.LeaseRead(1));
    assertEquals(List.of("step 1", "reply 10", "send 11"), log);
  }

  @Test
  void aFailingActionStopsTheNodeInsteadOfEscapingToTheCaller() {
    CoreDriver d = driver(Map.of(1L, List.of(send(10))), a -> {
      throw new IllegalStateException("boom");
    });
    d.submit(new Event.LeaseRead(1));
    assertEquals(List.of("carrying out TransferRejected failed"), failures);
  }

  @Test
  void nothingRunsAfterStop() {
    Promise<Void> write = Promise.promise();
    CoreDriver d = driver(Map.of(1L, List.of(reply(10))), a -> {});
    lastWrite = write.future();
    d.submit(new Event.LeaseRead(1));
    d.stop();
    write.complete();
    d.submit(new Event.LeaseRead(1));
    assertEquals(List.of("step 1"), log);
  }
}
