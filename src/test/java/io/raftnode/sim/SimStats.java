package io.raftnode.sim;

/**
 * What a run exercised, so that a summary shows the new paths are really taken (a path never taken proves nothing):
 * writes answered after a retry with their request id, reads by each path, lease reads served without a round
 * trip, read indexes a follower got from the leader, completed leadership transfers, snapshots taken and
 * installed.
 */
final class SimStats {
  long answeredAfterIdRetry;
  long logReads;
  long readIndexReads;
  long leaseReads;
  long leaseHits;
  long followerReadIndexes;
  long transfers;
  long snapshotsTaken;
  long installs;
  long crashesDuringInstall;
  long pipelinedWrites;
  long pipelinedAnsweredAfterRetry;
  long pipelinedAnsweredOutOfOrder;

  void add(SimStats o) {
    answeredAfterIdRetry += o.answeredAfterIdRetry;
    logReads += o.logReads;
    readIndexReads += o.readIndexReads;
    leaseReads += o.leaseReads;
    leaseHits += o.leaseHits;
    followerReadIndexes += o.followerReadIndexes;
    transfers += o.transfers;
    snapshotsTaken += o.snapshotsTaken;
    installs += o.installs;
    crashesDuringInstall += o.crashesDuringInstall;
    pipelinedWrites += o.pipelinedWrites;
    pipelinedAnsweredAfterRetry += o.pipelinedAnsweredAfterRetry;
    pipelinedAnsweredOutOfOrder += o.pipelinedAnsweredOutOfOrder;
  }

  @Override
  public String toString() {
    return answeredAfterIdRetry + " writes answered after a retry with their request id; reads: " + logReads
        + " through the log, " + readIndexReads + " by read index (" + followerReadIndexes + " from the leader to a "
        + "follower), " + leaseReads + " by lease (" + leaseHits + " without a round trip); " + transfers
        + " leadership transfers; " + snapshotsTaken + " snapshots taken, " + installs + " installed by followers, "
        + crashesDuringInstall + " crashes during an install; " + pipelinedWrites + " pipelined writes ("
        + pipelinedAnsweredAfterRetry + " answered after a retry, " + pipelinedAnsweredOutOfOrder + " out of order)";
  }
}
