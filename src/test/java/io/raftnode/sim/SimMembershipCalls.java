package io.raftnode.sim;

import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.model.MembershipCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One life of a simulated node's AdminService membership calls, as NodeRuntime's PendingCalls: a change is a
 * ChangeMembership event whose token the core answers with MembershipChanged or MembershipChangeFailed.
 */
final class SimMembershipCalls {
  private final SimNode node;
  private final Map<Long, Consumer<Action>> waiting = new HashMap<>();

  SimMembershipCalls(SimNode node) {
    this.node = node;
  }

  /** Asks the core for {@code command}; {@code answer} hears the core's answer, or null if the node dies first. */
  void change(MembershipCommand command, long expectedIndex, Consumer<Action> answer) {
    long token = node.newToken();
    waiting.put(token, answer);
    node.step(new Event.ChangeMembership(token, command, expectedIndex));
  }

  /** Carries out a membership answer; false for any other action. */
  boolean execute(Action action) {
    long token;
    if (action instanceof Action.MembershipChanged c) {
      token = c.token();
    } else if (action instanceof Action.MembershipChangeFailed f) {
      token = f.token();
    } else {
      return false;
    }
    Consumer<Action> answer = waiting.remove(token);
    if (answer != null) answer.accept(action);
    return true;
  }

  /** The callers still waiting, for the crash to tell that their outcome is unknown. */
  List<Consumer<Action>> orphans() {
    List<Consumer<Action>> all = new ArrayList<>(waiting.values());
    waiting.clear();
    return all;
  }
}
