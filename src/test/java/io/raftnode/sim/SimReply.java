package io.raftnode.sim;

import io.raftnode.NotLeaderException;
import io.raftnode.ProposalFailedException;
import io.raftnode.internal.transport.RequestNotSentException;
import java.io.IOException;
import java.net.ConnectException;

/** What a simulated client hears back for one request. */
sealed interface SimReply {
  record Applied(long index, byte[] result) implements SimReply {}

  /**
   * A request that failed. {@link #asNodeFailure()} is what the real node, or the client's own transport, would
   * have failed the call with; the client learns what that means for a write from the node's classification
   * ({@link io.raftnode.internal.service.ClientErrors}), exactly as a real client learns it from the status.
   */
  sealed interface Failure extends SimReply {
    Throwable asNodeFailure();

    String why();
  }

  /** Not the leader: the command was not appended and never will be. */
  record NotLeader(long leaderHint) implements Failure {
    public Throwable asNodeFailure() {
      return new NotLeaderException(leaderHint);
    }

    public String why() {
      return "not the leader (hint " + leaderHint + ")";
    }
  }

  /** Another entry took the command's log slot: it was not applied and never will be. */
  record NotApplied(long index) implements Failure {
    public Throwable asNodeFailure() {
      return ProposalFailedException.notApplied(index);
    }

    public String why() {
      return "log slot " + index + " taken by another entry";
    }
  }

  /** The node could not be reached (it is down): the command never arrived. */
  record Refused(long node) implements Failure {
    public Throwable asNodeFailure() {
      return new RequestNotSentException("node " + node, new ConnectException("connection refused"));
    }

    public String why() {
      return "node " + node + " refused the connection";
    }
  }

  /** The node's own timeout ran out: the command may still take effect. */
  record TimedOut(long index, long timeoutMs, String why) implements Failure {
    public Throwable asNodeFailure() {
      return ProposalFailedException.timedOut(index, timeoutMs);
    }
  }

  /** The node crashed after the request reached it: the client's connection dropped mid-call. */
  record Lost(String why) implements Failure {
    public Throwable asNodeFailure() {
      return new IOException("connection lost: " + why);
    }
  }
}
