package io.raftnode.core;

import java.util.Set;
import java.util.TreeSet;

/** The votes a candidate has collected in its current term, its own included. */
final class Candidacy {

  private final Set<Long> granted = new TreeSet<>();

  Candidacy(long selfId) {
    granted.add(selfId);
  }

  void grant(long from) {
    granted.add(from);
  }

  Set<Long> granted() {
    return granted;
  }
}
