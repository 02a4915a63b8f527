package io.raftnode.node;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;

/**
 * A verticle that does nothing but own a context: Vert.x's public API hands out a context of a given kind (an event
 * loop of its own, a worker) by deploying a verticle. The node uses one to serve its client port beside the Raft
 * loop.
 */
final class ContextVerticle extends VerticleBase {
  private String deploymentId;

  private ContextVerticle() {}

  /** Deploys one with {@code threading}; completes once its context exists. */
  static Future<ContextVerticle> deploy(Vertx vertx, ThreadingModel threading) {
    ContextVerticle verticle = new ContextVerticle();
    return vertx.deployVerticle(verticle, new DeploymentOptions().setThreadingModel(threading))
        .map(id -> {
          verticle.deploymentId = id;
          return verticle;
        });
  }

  Context ownContext() {
    return context;
  }

  /** Undeploys it; whatever was started on its context (a server) is closed with it. */
  Future<Void> undeploy() {
    return deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
  }
}
