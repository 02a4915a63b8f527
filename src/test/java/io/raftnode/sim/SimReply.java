package io.raftnode.sim;

/** What a simulated client hears back for one request. */
sealed interface SimReply {
  record Applied(long index, byte[] result) implements SimReply {}

  /** Not the leader: the command was not appended and never will be. */
  record NotLeader(long leaderHint) implements SimReply {}

  /** Another entry took the command's log slot: it was not applied and never will be. */
  record NotApplied() implements SimReply {}

  /** The node could not be reached: the command never arrived. */
  record Refused() implements SimReply {}

  /** Timed out or the node crashed: the command may or may not take effect. */
  record Unknown(String why) implements SimReply {}
}
