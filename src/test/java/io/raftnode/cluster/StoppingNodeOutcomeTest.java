package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.kv.KvCodec;
import io.raftnode.internal.kv.KvCommand;
import io.raftnode.internal.kv.KvStateMachine;
import io.raftnode.internal.service.ClientFailure;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.statemachine.SnapshotWriter;
import io.raftnode.statemachine.StateMachine;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that stops while a write it accepted waits to apply answers "outcome unknown", never "not applied": the
 * write is in the log (here even committed) and applies wherever that log lives on.
 */
@Timeout(60)
class StoppingNodeOutcomeTest {

  @TempDir
  Path dataDirs;

  @Test
  void aWriteCommittedButNotAppliedWhenTheNodeStopsHasAnUnknownOutcome() throws Exception {
    CountDownLatch applying = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (TestCluster cluster = new TestCluster(dataDirs, 1)
        .withStateMachines(() -> new HoldingPuts("held", applying, release))) {
      cluster.startAll();
      cluster.awaitLeader();
      Future<?> put = cluster.client(1).put("k", "held");
      assertTrue(applying.await(30, TimeUnit.SECONDS), "the write committed and its apply began");
      CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> cluster.stop(1));
      try {
        RemoteCallException error = TestCluster.remoteFailure(put);
        assertEquals(GrpcStatus.UNKNOWN, error.status(), error.getMessage());
        assertEquals("outcome-unknown", error.metadata(ClientFailure.REASON));
      } finally {
        release.countDown();
        stopped.get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** A KvStateMachine whose apply of a Put of {@code value} waits until {@code release}. */
  private static final class HoldingPuts implements StateMachine {
    private final KvStateMachine kv = new KvStateMachine();
    private final byte[] value;
    private final CountDownLatch applying;
    private final CountDownLatch release;

    HoldingPuts(String value, CountDownLatch applying, CountDownLatch release) {
      this.value = value.getBytes(StandardCharsets.UTF_8);
      this.applying = applying;
      this.release = release;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
      if (KvCodec.decodeCommand(command) instanceof KvCommand.Put put && java.util.Arrays.equals(put.value(), value)) {
        applying.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return kv.apply(index, command);
    }

    @Override
    public byte[] query(byte[] query) {
      return kv.query(query);
    }

    @Override
    public SnapshotWriter snapshot() {
      return kv.snapshot();
    }

    @Override
    public void restore(InputStream in) throws IOException {
      kv.restore(in);
    }

    @Override
    public boolean supportsSnapshots() {
      return kv.supportsSnapshots();
    }
  }
}
