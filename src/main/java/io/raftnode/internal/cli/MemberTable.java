package io.raftnode.internal.cli;

import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code member list}'s output: a table for people, or JSON for scripts ({@code -w json}). */
final class MemberTable {
  private static final String ROW = "%-6s %-21s %-21s %-8s %-6s %-10s %-8s %s%n";

  private MemberTable() {}

  static String table(StatusResponse s) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(ROW, "ID", "PEER", "CLIENT", "ROLE", "LEADER", "MATCH", "LAG", "NOTE"));
    boolean progress = false;
    for (MemberStatus m : s.getMembersList()) {
      progress |= m.getProgressKnown();
      out.append(String.format(ROW, m.getNodeId(), m.getPeerAddress(), m.getClientAddress(), role(m),
          m.getLeader() ? "*" : "", m.getProgressKnown() ? m.getMatchIndex() : "-",
          m.getProgressKnown() ? m.getLag() : "-", note(m)));
    }
    out.append("membership_log_index: ").append(s.getMembershipLogIndex());
    if (s.getJointNewVotersCount() > 0) {
      out.append("  (changing voters to ").append(MemberCommand.ids(s.getJointNewVotersList())).append(")");
    }
    if (s.getRemovedCount() > 0) out.append("  removed: ").append(MemberCommand.ids(s.getRemovedList()));
    out.append('\n');
    if (!progress) out.append("(node ").append(s.getNodeId()).append(" is not the leader: no progress known)\n");
    return out.toString();
  }

  static String json(StatusResponse s) {
    JsonArray members = new JsonArray();
    for (MemberStatus m : s.getMembersList()) {
      JsonObject member = new JsonObject().put("id", m.getNodeId()).put("peer_address", m.getPeerAddress())
          .put("client_address", m.getClientAddress()).put("role", role(m)).put("leader", m.getLeader());
      if (m.getProgressKnown()) {
        member.put("match_index", m.getMatchIndex()).put("lag", m.getLag()).put("replication", m.getReplication())
            .put("lost_log", m.getLostLog()).put("last_heard_ms_ago", m.getLastHeardMsAgo());
      }
      members.add(member);
    }
    return new JsonObject().put("node_id", s.getNodeId()).put("leader_id", s.getLeaderId())
        .put("membership_log_index", s.getMembershipLogIndex()).put("members", members)
        .put("joint_new_voters", new JsonArray(s.getJointNewVotersList()))
        .put("removed", new JsonArray(s.getRemovedList())).encodePrettily() + "\n";
  }

  private static String role(MemberStatus m) {
    return m.getVoter() ? "voter" : "learner";
  }

  private static String note(MemberStatus m) {
    if (m.getLostLog()) return "LOST ITS LOG: replace it (README, \"Replacing a node that lost its disk\")";
    if (!m.getProgressKnown()) return "";
    return m.getReplication() + ", heard " + m.getLastHeardMsAgo() + " ms ago";
  }
}
