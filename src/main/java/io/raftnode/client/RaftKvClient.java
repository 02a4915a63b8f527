package io.raftnode.client;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A client of a raftnode cluster's key-value service. Give it one or more nodes' client addresses; it finds the
 * leader (from the nodes' Status, or the leader a refusing node names), sends its calls there and follows the
 * leadership when it moves. Any node would serve the calls (followers forward them), the leader just saves a hop.
 *
 * <pre>{@code
 * try (RaftKvClient client = RaftKvClient.builder().addresses("10.0.0.1:7201", "10.0.0.2:7201").build()) {
 *   long revision = client.put(key, value).join().revision();
 *   GetResult read = client.get(key).join();
 * }
 * }</pre>
 *
 * <p><b>Calls.</b> Every call returns a {@link CompletableFuture}; a call that fails completes it exceptionally with
 * a {@link RaftKvException} (the gRPC status, the node's reason, the leader it named, and for a write whether it may
 * have applied). Each call has a deadline ({@link Builder#timeout}, or the one passed with the call) that bounds all
 * its attempts.
 *
 * <p><b>Retries and exactly-once writes.</b> Every write carries a request id (the client's id and a sequence of its
 * own, with {@code first_incomplete} kept for writes in flight together), so the client resends a write where that
 * is safe: when a node says it was not applied (not the leader, lost its log slot, over its flow-control bound: after
 * the time it asks for), when no connection could be made, and when the outcome of an attempt is unknown (a node
 * stopped, a connection broke): then with the same request id, which the cluster applies once and answers with the
 * first answer. A stale sequence, a refused request and the deadline end the call. Reads are retried likewise.
 *
 * <p><b>Transport.</b> By default the calls travel on one KvSessionService stream per node, the calls issued
 * together in one message; a node that serves no sessions (older nodes answer UNIMPLEMENTED) is called with one
 * unary KvService call each, as is every node with {@link Builder#transport(ClientTransport) transport(UNARY)}. Each
 * attempt carries what is left of the call's deadline to the node (grpc-timeout, or a session call's timeout_ms), which
 * then neither waits for a leader nor forwards the call past it; the client fails the call with DEADLINE_EXCEEDED
 * (outcome unknown for a write with an attempt out) when it passes.
 *
 * <p><b>Threads.</b> The client does its work on one Vert.x event loop of its own (or of the {@link Builder#vertx
 * Vert.x} it is given; none of this shows to a caller). Futures complete on the {@link Builder#callbackExecutor
 * callback executor}: by default a thread pool the client owns, so a callback may block without stalling other calls.
 * Calls may be made from any thread. Calls made together from the client's own event loop (or in quick succession)
 * share messages.
 */
public final class RaftKvClient implements AutoCloseable {
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Context context;
  private final GrpcClient grpc;
  private final Nodes nodes;
  private final CallRunner runner;
  private final ExecutorService ownedCallbacks;
  private final long timeoutMs;
  private final String clientId;

  RaftKvClient(Builder settings, Vertx vertx, boolean ownsVertx) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.context = vertx.getOrCreateContext();
    this.grpc = ClientConnections.grpcClient(vertx, settings.tls, settings.connectTimeout());
    this.nodes = new Nodes(grpc, context, settings.transport, settings.addresses, settings.followLeader);
    this.ownedCallbacks = settings.callbacks == null ? ClientConnections.callbackThreads() : null;
    this.clientId = settings.clientId;
    this.runner = new CallRunner(vertx, context, nodes, settings.requestIds ? new RequestIds(clientId) : null,
        settings.callbacks != null ? settings.callbacks : ownedCallbacks);
    this.timeoutMs = settings.timeout.toMillis();
    context.runOnContext(v -> nodes.discover());
  }

  /** A builder with the defaults: session transport, 10 s deadline, plaintext, a random client id. */
  public static Builder builder() {
    return new Builder();
  }

  /** Sets {@code key} to {@code value}; the revision it applied at. */
  public CompletableFuture<PutResult> put(byte[] key, byte[] value) {
    return put(key, value, null);
  }

  /** {@link #put(byte[], byte[])} with its own deadline ({@code null}: the client's). */
  public CompletableFuture<PutResult> put(byte[] key, byte[] value, Duration timeout) {
    return runner.submit(KvOperation.put(key(key), Objects.requireNonNull(value, "value")), timeoutMs(timeout));
  }

  /** Reads {@code key} with linearizable consistency. */
  public CompletableFuture<GetResult> get(byte[] key) {
    return get(key, ReadConsistency.LINEARIZABLE, null);
  }

  /** Reads {@code key} with the given consistency. */
  public CompletableFuture<GetResult> get(byte[] key, ReadConsistency consistency) {
    return get(key, consistency, null);
  }

  /** {@link #get(byte[], ReadConsistency)} with its own deadline ({@code null}: the client's). */
  public CompletableFuture<GetResult> get(byte[] key, ReadConsistency consistency, Duration timeout) {
    return runner.submit(KvOperation.get(key(key), Objects.requireNonNull(consistency, "consistency")), timeoutMs(timeout));
  }

  /** Deletes {@code key}; whether it existed, and the revision the delete applied at. */
  public CompletableFuture<DeleteResult> delete(byte[] key) {
    return delete(key, null);
  }

  /** {@link #delete(byte[])} with its own deadline ({@code null}: the client's). */
  public CompletableFuture<DeleteResult> delete(byte[] key, Duration timeout) {
    return runner.submit(KvOperation.delete(key(key)), timeoutMs(timeout));
  }

  /**
   * Sets {@code key} to {@code newValue} if it holds {@code expected}, or, with {@code expected} null, if it does not
   * exist. A swap that does not match is a successful call whose result says so and names the current value.
   */
  public CompletableFuture<CompareAndSwapResult> compareAndSwap(byte[] key, byte[] expected, byte[] newValue) {
    return compareAndSwap(key, expected, newValue, null);
  }

  /** {@link #compareAndSwap(byte[], byte[], byte[])} with its own deadline ({@code null}: the client's). */
  public CompletableFuture<CompareAndSwapResult> compareAndSwap(byte[] key, byte[] expected, byte[] newValue,
      Duration timeout) {
    return runner.submit(KvOperation.compareAndSwap(key(key), expected, Objects.requireNonNull(newValue, "newValue")),
        timeoutMs(timeout));
  }

  /** The client address (host:port) of the node the client now sends its calls to: the leader, as far as it knows. */
  public String currentNode() {
    return nodes.targetText();
  }

  /** The client id the client's writes carry in their request ids. */
  public String clientId() {
    return clientId;
  }

  /**
   * Closes the connections (and the client's own Vert.x and callback threads). Calls still running fail with
   * CANCELLED; a write among them may still apply. Waits up to 10 s, except when called on the client's own event
   * loop (from a callback completed there), where it returns at once and the closing goes on.
   */
  @Override
  public void close() {
    if (Vertx.currentContext() == context) {
      // On the client's own event loop (a callback run there): close without waiting, which would block the loop.
      runner.close();
      nodes.close();
      grpc.close().onComplete(done -> {
        if (ownsVertx) vertx.close();
        if (ownedCallbacks != null) ownedCallbacks.shutdown();
      });
      return;
    }
    CompletableFuture<Void> closed = new CompletableFuture<>();
    context.runOnContext(v -> {
      runner.close();
      nodes.close();
      grpc.close().onComplete(done -> closed.complete(null));
    });
    try {
      closed.get(10, TimeUnit.SECONDS);
      if (ownsVertx) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Closing is best effort: the connections go when the process does.
    } finally {
      if (ownedCallbacks != null) ownedCallbacks.shutdown();
    }
  }

  private long timeoutMs(Duration timeout) {
    if (timeout == null) return timeoutMs;
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("a deadline must be positive: " + timeout);
    return Math.max(1, timeout.toMillis());
  }

  private static byte[] key(byte[] key) {
    return Objects.requireNonNull(key, "key");
  }

  /** Settings of a {@link RaftKvClient}. */
  public static final class Builder {
    private java.util.List<NodeAddress> addresses = java.util.List.of();
    private ClientTls tls;
    private Duration timeout = Duration.ofSeconds(10);
    private ClientTransport transport = ClientTransport.SESSION;
    private String clientId = java.util.UUID.randomUUID().toString();
    private java.util.concurrent.Executor callbacks;
    private Vertx vertx;
    private boolean requestIds = true;
    private boolean followLeader = true;

    private Builder() {}

    /** The client addresses ({@code host:port}) of one or more nodes of the cluster; required. */
    public Builder addresses(String... addresses) {
      return addresses(java.util.List.of(addresses));
    }

    /** The client addresses ({@code host:port}) of one or more nodes of the cluster; required. */
    public Builder addresses(java.util.Collection<String> addresses) {
      java.util.List<NodeAddress> parsed = new java.util.ArrayList<>();
      for (String a : addresses) parsed.add(NodeAddress.parse(a));
      this.addresses = java.util.List.copyOf(parsed);
      return this;
    }

    /** TLS to the nodes' client ports (default: plaintext). */
    public Builder tls(ClientTls tls) {
      this.tls = tls;
      return this;
    }

    /** The deadline of a call made without one, over all its attempts (default 10 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("a deadline must be positive: " + timeout);
      this.timeout = timeout;
      return this;
    }

    /** Sessions (the default) or one unary call per call. */
    public Builder transport(ClientTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * The client id of the writes' request ids (default: a random UUID). Two clients running at once must never share
     * one; a client id used again later must not be, since its sequences start at 1 again.
     */
    public Builder clientId(String clientId) {
      if (clientId == null || clientId.isEmpty()) throw new IllegalArgumentException("a client id must not be empty");
      this.clientId = clientId;
      return this;
    }

    /**
     * Whether the client goes to the leader it learns of (default true). False keeps it on the addresses given (for
     * example when only those are reachable from the client, or behind a proxy): any node serves every call, a
     * follower forwarding a session to the leader as one session, at the cost of one more hop per call.
     */
    public Builder followLeader(boolean followLeader) {
      this.followLeader = followLeader;
      return this;
    }

    /**
     * Whether writes carry request ids (default true). Without them the node keeps no exactly-once record of this
     * client's writes, which saves it work on every write, but the client can no longer resend a write whose outcome
     * is unknown: such a call fails with {@link RaftKvException#mayHaveApplied()} true (as etcd's clients do).
     * Writes the node refused without applying are still resent. For writes that are safe to apply twice.
     */
    public Builder requestIds(boolean requestIds) {
      this.requestIds = requestIds;
      return this;
    }

    /**
     * Where the futures complete (default: a pool of daemon threads the client owns). {@code Runnable::run}
     * completes them on the client's event loop: only for callbacks that never block, since a blocked callback then
     * stalls every call of the client.
     */
    public Builder callbackExecutor(java.util.concurrent.Executor executor) {
      this.callbacks = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The Vert.x instance to run on (default: one of the client's own, closed with it). Built on one of its event
     * loops, the client runs on that event loop's context.
     */
    public Builder vertx(Vertx vertx) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      return this;
    }

    long connectTimeout() {
      return Math.min(timeout.toMillis(), 5_000);
    }

    /** The client; it connects as calls are made. */
    public RaftKvClient build() {
      if (addresses.isEmpty()) throw new IllegalStateException("give the client at least one node address");
      if (vertx != null) return new RaftKvClient(this, vertx, false);
      return new RaftKvClient(this, Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1)
          .setWorkerPoolSize(1).setInternalBlockingPoolSize(1)), true);
    }
  }
}
