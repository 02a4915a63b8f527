package io.raftnode.sim;

/**
 * What a run exercised, so that a summary shows the new paths are really taken (a path never taken proves nothing):
 * writes answered after a retry with their request id, reads by each path, lease reads served without a round
 * trip, read indexes a follower got from the leader, completed leadership transfers, snapshots taken and
 * installed, membership changes by kind, removed nodes told so by a vote refusal, log entries read from
 * disk.
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
  long membershipChanges;
  long learnersAdded;
  long learnersPromoted;
  long votersDemoted;
  long votersRemoved;
  long leadersRemoved;
  long replacements;
  long crashesDuringJoint;
  long removedToldSo;
  long diskReadsForFollowers;
  long diskReadsForApplying;
  /** Disk reads that a truncation or purge overlapped, so they returned nothing. */
  long diskReadsRaced;

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
    membershipChanges += o.membershipChanges;
    learnersAdded += o.learnersAdded;
    learnersPromoted += o.learnersPromoted;
    votersDemoted += o.votersDemoted;
    votersRemoved += o.votersRemoved;
    leadersRemoved += o.leadersRemoved;
    replacements += o.replacements;
    crashesDuringJoint += o.crashesDuringJoint;
    removedToldSo += o.removedToldSo;
    diskReadsForFollowers += o.diskReadsForFollowers;
    diskReadsForApplying += o.diskReadsForApplying;
    diskReadsRaced += o.diskReadsRaced;
  }

  @Override
  public String toString() {
    return answeredAfterIdRetry + " writes answered after a retry with their request id; reads: " + logReads
        + " through the log, " + readIndexReads + " by read index (" + followerReadIndexes + " from the leader to a "
        + "follower), " + leaseReads + " by lease (" + leaseHits + " without a round trip); " + transfers
        + " leadership transfers; " + snapshotsTaken + " snapshots taken, " + installs + " installed by followers, "
        + crashesDuringInstall + " crashes during an install; " + pipelinedWrites + " pipelined writes ("
        + pipelinedAnsweredAfterRetry + " answered after a retry, " + pipelinedAnsweredOutOfOrder + " out of order); "
        + "membership: " + membershipChanges + " changes committed ("
        + learnersAdded + " learners added, " + learnersPromoted + " promoted, " + votersDemoted + " voters demoted, "
        + votersRemoved + " voters removed of which " + leadersRemoved + " leaders, " + replacements
        + " lost nodes replaced), " + crashesDuringJoint + " leader crashes in a joint config, " + removedToldSo
        + " removed candidates told so; log read from disk " + diskReadsForFollowers
        + " times for followers, " + diskReadsForApplying + " for applying (" + diskReadsRaced + " overlapped by a"
        + " truncation or purge)";
  }
}
