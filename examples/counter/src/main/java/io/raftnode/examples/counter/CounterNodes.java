package io.raftnode.examples.counter;

import io.raftnode.ClientService;
import io.raftnode.RaftNodeVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Starts one counter node: a {@link RaftNodeVerticle} around a {@link CounterStateMachine}. */
public final class CounterNodes {
  private CounterNodes() {}

  /**
   * Deploys a node with {@code config} (the keys of raftnode's config files) and completes with its handle once it
   * runs. It also serves AdminService on its client address, so {@code node.jar status} works against it.
   */
  public static Future<RaftNodeVerticle> start(Vertx vertx, JsonObject config) {
    RaftNodeVerticle node = new RaftNodeVerticle(new CounterStateMachine(), ClientService.admin());
    return vertx.deployVerticle(node, new DeploymentOptions().setConfig(config)).map(id -> node);
  }

  /** Reads a JSON config file. */
  public static JsonObject readConfig(Path file) throws IOException {
    return new JsonObject(Files.readString(file));
  }
}
