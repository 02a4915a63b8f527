package io.raftnode.internal.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.ProposalRefusedException;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which refusals make a session stop reading: flow control's (RESOURCE_EXHAUSTED with a retry hint: the leader
 * frees room by itself), not the store quota's (RESOURCE_EXHAUSTED without a hint: only deletes free room, and the
 * session must go on to read them).
 */
class SessionAdmissionTest {
  private final Vertx vertx = Vertx.vertx();
  private final FakeRaftNode node = new FakeRaftNode(vertx, null);

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aQuotaRefusalDoesNotHoldTheSession() {
    SessionAdmission admission = new SessionAdmission(node, () -> {});
    ClientFailure quota = new ClientFailure(GrpcStatus.RESOURCE_EXHAUSTED, "past limits.max_store_bytes",
        ClientFailure.Reason.NOT_APPLIED);
    assertFalse(admission.holdIfRefused(quota));
    assertFalse(admission.holding());
  }

  @Test
  void aFlowControlRefusalHoldsTheSession() {
    SessionAdmission admission = new SessionAdmission(node, () -> {});
    ClientFailure flowControl = ClientErrors.classifyWrite(new ProposalRefusedException(10, 10, 100), CallDeadline.NONE);
    assertTrue(admission.holdIfRefused(flowControl));
    assertTrue(admission.holding());
  }
}
