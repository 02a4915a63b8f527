package io.raftnode.cli;

import io.raftnode.client.ClientTransport;
import io.raftnode.client.RaftKvClient;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * How the benchmark sends its Puts: through {@link RaftKvClient}, with {@code unary} one KvService.Put call per write
 * (one HTTP/2 stream each, as etcd's clients do) or with {@code session} on one KvSessionService.Session stream (as
 * SOFAJRaft's bolt client multiplexes calls on one connection), the ones issued in the same event-loop turn in one
 * message. Each write is still its own call with its own answer and request id (unless the
 * bench is told to leave them out), and the server work per write is the same.
 */
interface BenchPuts extends AutoCloseable {
  /** Sends one Put; {@code done} gets null when it succeeded, else the failure. Called on the load's event loop. */
  void put(byte[] key, byte[] value, Handler<Throwable> done);

  @Override
  void close();

  static List<String> names() {
    return List.of("unary", "session");
  }

  /**
   * A client named {@code name} on {@code vertx}; call on the event loop the load runs on: the client then runs on
   * it, and completes its calls there (the load never blocks).
   */
  static BenchPuts open(String name, Vertx vertx, SocketAddress leader) {
    return open(name, vertx, leader, true, true);
  }

  /**
   * {@link #open(String, Vertx, SocketAddress)}, the writes carrying request ids or not, the client following the
   * leader or keeping to {@code node}.
   */
  static BenchPuts open(String name, Vertx vertx, SocketAddress node, boolean requestIds, boolean followLeader) {
    RaftKvClient client = RaftKvClient.builder().vertx(vertx).addresses(node.host() + ":" + node.port())
        .requestIds(requestIds).followLeader(followLeader)
        .transport(name.equals("unary") ? ClientTransport.UNARY : ClientTransport.SESSION)
        .callbackExecutor(Runnable::run).build();
    return new BenchPuts() {
      @Override
      public void put(byte[] key, byte[] value, Handler<Throwable> done) {
        client.put(key, value).whenComplete((written, err) -> done.handle(err));
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }
}
