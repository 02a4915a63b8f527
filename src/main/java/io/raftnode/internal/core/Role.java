package io.raftnode.internal.core;

/** The role a node plays; the names are the ones AdminService.Status reports. */
public enum Role {
  FOLLOWER("follower"),
  CANDIDATE("candidate"),
  LEADER("leader"),
  LEARNER("learner");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
