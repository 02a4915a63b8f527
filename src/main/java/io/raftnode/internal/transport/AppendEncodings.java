package io.raftnode.internal.transport;

import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.Entry;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Objects;

/**
 * Encodes AppendEntries requests for all of a node's peers, once per distinct request. In the REPLICATE state a
 * leader sends the same batch to every follower in the same turn; those requests share one msgpack encoding and one
 * RaftPayload message body instead of being encoded per follower. Used on the node's event loop only.
 */
public final class AppendEncodings {
  private AppendEntriesRequest last;
  private byte[] lastBytes;
  private Buffer lastMessage;

  /** The msgpack encoding of {@code request}. The array is shared: do not modify it. */
  byte[] msgpack(AppendEntriesRequest request) {
    if (!sameAsLast(request)) {
      last = request;
      lastBytes = RaftCodec.encodeAppendEntriesRequest(request);
      lastMessage = null;
    }
    return lastBytes;
  }

  /**
   * {@code request} as the protobuf bytes of a RaftPayload message, ready for the stream. Vert.x copies a message's
   * bytes when it frames them, so one buffer can go to every follower.
   */
  Buffer raftPayload(AppendEntriesRequest request) {
    byte[] bytes = msgpack(request);
    if (lastMessage == null) lastMessage = Payloads.raftPayloadMessage(bytes);
    return lastMessage;
  }

  /**
   * The same request: equal header fields and the very same entry objects. A leader's entries for one index range
   * come from its log, so the same first and last entry and the same count mean the same entries.
   */
  private boolean sameAsLast(AppendEntriesRequest request) {
    if (last == null) return false;
    if (request == last) return true;
    if (!request.vote().equals(last.vote()) || !Objects.equals(request.prevLogId(), last.prevLogId())
        || !Objects.equals(request.leaderCommit(), last.leaderCommit())) {
      return false;
    }
    List<Entry> a = request.entries();
    List<Entry> b = last.entries();
    if (a.size() != b.size()) return false;
    return a.isEmpty() || (a.get(0) == b.get(0) && a.get(a.size() - 1) == b.get(b.size() - 1));
  }
}
