package io.raftnode.internal.cli;

import io.raftnode.HostAndPort;
import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Every member's own Status, as {@code status --cluster} and {@code top} show them: the node given by --server
 * names the members, then each member's client address is asked at once, all within the one deadline.
 */
final class ClusterView {
  /** One member: its own answer, or why it gave none ({@code status} null, {@code error} set). */
  record Row(long id, String clientAddress, StatusResponse status, String error) {
    boolean answered() {
      return status != null;
    }
  }

  private ClusterView() {}

  /** Fails only if {@code seed} does not answer: without it there is no member list. */
  static List<Row> collect(RpcClient client, HostAndPort seed) throws RpcException {
    StatusResponse first = client.await(client.send(seed, AdminServiceGrpcClient.Status,
        StatusRequest.getDefaultInstance()));
    List<Long> ids = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (MemberStatus m : first.getMembersList()) {
      ids.add(m.getNodeId());
      addresses.add(m.getClientAddress());
    }
    // A node that does not list its members (a very old one) stands for itself.
    if (ids.isEmpty()) {
      ids.add(first.getNodeId());
      addresses.add(seed.toString());
    }
    List<Future<StatusResponse>> answers = new ArrayList<>();
    for (String address : addresses) answers.add(ask(client, address));
    try {
      client.await(Future.join(answers));
    } catch (RpcException e) {
      // Some member failed; each row below says which and why.
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) rows.add(row(ids.get(i), addresses.get(i), answers.get(i)));
    return rows;
  }

  private static Future<StatusResponse> ask(RpcClient client, String address) {
    HostAndPort target;
    try {
      target = HostAndPort.parse(address);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new RpcException("INVALID_ARGUMENT", "no usable client address: " + address));
    }
    return client.send(target, AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance());
  }

  private static Row row(long id, String address, Future<StatusResponse> answer) {
    if (answer.succeeded()) return new Row(id, address, answer.result(), null);
    Throwable cause = answer.cause();
    String error = cause == null ? "DEADLINE_EXCEEDED: no answer in time"
        : cause instanceof RpcException rpc ? rpc.describe().substring("error: ".length()) : String.valueOf(cause);
    return new Row(id, address, null, error);
  }

  /** The leader's own answer: the answering leader of the highest term, or null when none answered as leader. */
  static StatusResponse leader(List<Row> rows) {
    StatusResponse leader = null;
    for (Row row : rows) {
      if (!row.answered() || !row.status().getRole().equals("leader")) continue;
      if (leader == null || row.status().getTerm() > leader.getTerm()) leader = row.status();
    }
    return leader;
  }

  /** How far member {@code id} trails the leader's log, in the leader's own view; null when it is not known. */
  static Long lag(StatusResponse leader, long id) {
    if (leader == null) return null;
    for (MemberStatus m : leader.getMembersList()) {
      if (m.getNodeId() == id && m.getProgressKnown()) return m.getLag();
    }
    return null;
  }
}
