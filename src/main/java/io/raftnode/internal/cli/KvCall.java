package io.raftnode.internal.cli;

import io.raftnode.client.ClientTls;
import io.raftnode.client.ClientTransport;
import io.raftnode.client.RaftKvClient;
import io.raftnode.client.RaftKvException;
import io.vertx.grpc.common.GrpcStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One {@code kv} command's call through a {@link RaftKvClient}: it finds the leader from the address given, resends
 * the call where that is safe within {@code --timeout-ms}, and a write keeps one request id over all its attempts,
 * so the cluster applies it once. Prints the answer, or the failure with whether a write may have applied.
 */
final class KvCall {
  /** Bounds the wait should the client's own deadline timer not fire (a stuck event loop). */
  private static final long GRACE_MS = 1000;

  private KvCall() {}

  /** Runs {@code call}, prints {@code format(answer)} and returns 0, or prints the failure and returns 1. */
  static <T> int run(ClientOptions options, boolean write, Function<RaftKvClient, CompletableFuture<T>> call,
      Function<T, String> format, PrintStream out, PrintStream err) {
    try (RaftKvClient client = client(options)) {
      T answer = await(call.apply(client), options.timeoutMs(), write);
      out.println(format.apply(answer));
      return 0;
    } catch (RaftKvException e) {
      err.println(describe(e, write));
      return 1;
    }
  }

  /**
   * Unary KvService calls: a command makes one call, so a session stream would only add a round trip. Futures
   * complete on the client's event loop; only this thread waits on them.
   */
  private static RaftKvClient client(ClientOptions options) {
    ClientOptions.Tls tls = options.tls();
    return RaftKvClient.builder()
        .addresses(options.server().toString())
        .tls(tls == null ? null : new ClientTls(tls.ca(), tls.cert(), tls.key()))
        .timeout(Duration.ofMillis(options.timeoutMs()))
        .transport(ClientTransport.UNARY)
        .callbackExecutor(Runnable::run)
        .build();
  }

  private static <T> T await(CompletableFuture<T> call, long timeoutMs, boolean write) {
    try {
      return call.get(timeoutMs + GRACE_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RaftKvException failure) throw failure;
      throw failure(GrpcStatus.UNKNOWN, String.valueOf(e.getCause()), write);
    } catch (TimeoutException e) {
      throw failure(GrpcStatus.DEADLINE_EXCEEDED, "no answer within " + timeoutMs + " ms", write);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(GrpcStatus.CANCELLED, "interrupted", write);
    }
  }

  private static RaftKvException failure(GrpcStatus status, String message, boolean write) {
    return new RaftKvException(status.name(), status.code, message, RaftKvException.Reason.NONE, 0, "", write, 0);
  }

  /**
   * The stderr line (README, "Errors"): {@code error: STATUS: message}, the node's reason and the leader it named if
   * any, and for a write {@code (not applied)} or {@code (outcome unknown)} as the client judged it over every
   * attempt: a write one attempt left in doubt stays in doubt whatever the last attempt's status.
   */
  static String describe(RaftKvException e, boolean write) {
    String unknown = " (outcome unknown)";
    String message = e.getMessage();
    if (message.endsWith(unknown)) message = message.substring(0, message.length() - unknown.length());
    StringBuilder line = new StringBuilder("error: ").append(message);
    // not-applied and outcome-unknown are what the outcome at the end says.
    if (e.reason() == RaftKvException.Reason.NOT_LEADER || e.reason() == RaftKvException.Reason.STALE_SEQUENCE) {
      line.append(" (reason: ").append(e.reason().word()).append(')');
    }
    if (!e.leaderAddress().isEmpty()) {
      line.append(" (leader: ").append(e.leaderId() != 0 ? e.leaderId() + " at " : "").append(e.leaderAddress()).append(')');
    }
    if (!write) return line.toString();
    String outcome = e.mayHaveApplied() ? "outcome unknown" : "not applied";
    return line.toString().toLowerCase(Locale.ROOT).contains(outcome) ? line.toString() : line + " (" + outcome + ")";
  }
}
