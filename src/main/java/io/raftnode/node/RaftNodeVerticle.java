package io.raftnode.node;

import io.raftnode.statemachine.StateMachine;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** One Raft node: owns a RaftCore on its event loop and serves RaftService, KvService and AdminService. */
public class RaftNodeVerticle extends VerticleBase {
  private final NodeConfig config;
  private final StateMachine stateMachine;

  public RaftNodeVerticle(NodeConfig config, StateMachine stateMachine) {
    this.config = config;
    this.stateMachine = stateMachine;
  }

  @Override
  public Future<?> start() {
    return Future.failedFuture("not yet written");
  }
}
