package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProposalBudgetTest {

  @Test
  void admitsWhileUnderTheBoundAndRefusesWhatWouldPassIt() {
    ProposalBudget budget = new ProposalBudget(1000);
    ProposalBudget.Reservation a = budget.admit(600);
    assertNotNull(a);
    assertNotNull(budget.admit(400), "exactly at the bound still fits");
    assertNull(budget.admit(1), "past the bound");
    assertEquals(1000, budget.held());
    budget.release(a);
    assertEquals(400, budget.held());
    assertNull(budget.admit(601));
    assertNotNull(budget.admit(600));
  }

  @Test
  void aSingleProposalLargerThanTheBoundGoesAlone() {
    ProposalBudget budget = new ProposalBudget(100);
    ProposalBudget.Reservation big = budget.admit(500);
    assertNotNull(big, "nothing held: it goes alone");
    assertNull(budget.admit(1));
    budget.release(big);
    assertEquals(0, budget.held());
  }

  @Test
  void everyReservationIsReleasedOnceEvenAcrossALeadershipLoss() {
    ProposalBudget budget = new ProposalBudget(1000);
    List<ProposalBudget.Reservation> old = new ArrayList<>();
    for (int i = 0; i < 5; i++) old.add(budget.admit(100));
    budget.releaseAll();
    assertEquals(0, budget.held(), "a deposed leader holds nothing against new proposals");
    ProposalBudget.Reservation fresh = budget.admit(300);
    old.forEach(budget::release); // the old proposals complete later: they must not free the new one's bytes
    assertEquals(300, budget.held());
    budget.release(fresh);
    assertEquals(0, budget.held());
  }

  @Test
  void roomCompletesOnceHalfTheBoundIsFree() {
    ProposalBudget budget = new ProposalBudget(1000);
    assertTrue(budget.room().succeeded(), "room at once when nothing is held");
    ProposalBudget.Reservation a = budget.admit(300);
    ProposalBudget.Reservation b = budget.admit(300);
    budget.admit(300);
    Future<Void> room = budget.room();
    assertFalse(room.isComplete());
    budget.release(a);
    assertFalse(room.isComplete(), "600 held, above half the bound");
    budget.release(b);
    assertTrue(room.succeeded(), "300 held");
  }

  @Test
  void releaseAllWakesWaitersForRoom() {
    ProposalBudget budget = new ProposalBudget(100);
    budget.admit(100);
    Future<Void> room = budget.room();
    budget.releaseAll();
    assertTrue(room.succeeded());
  }
}
