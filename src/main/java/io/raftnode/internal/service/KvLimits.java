package io.raftnode.internal.service;

/**
 * Size limits of the key-value API (config {@code limits.*}); requests beyond them are refused with
 * INVALID_ARGUMENT before anything reaches the log.
 */
record KvLimits(int maxKeyBytes, int maxValueBytes) {
  static final int MAX_CLIENT_ID_CHARS = 256;

  static KvLimits of(io.raftnode.NodeConfig.Limits limits) {
    return new KvLimits(limits.maxKeyBytes(), limits.maxValueBytes());
  }

  void checkKey(com.google.protobuf.ByteString key) {
    if (key.isEmpty()) throw ClientErrors.invalid("key must not be empty");
    if (key.size() > maxKeyBytes) {
      throw ClientErrors.invalid("key is " + key.size() + " bytes; the limit is " + maxKeyBytes);
    }
  }

  void checkValue(String name, com.google.protobuf.ByteString value) {
    if (value.size() > maxValueBytes) {
      throw ClientErrors.invalid(name + " is " + value.size() + " bytes; the limit is " + maxValueBytes);
    }
  }

  /** The write's request id for exactly-once application, or null when the request carries none. */
  static io.raftnode.internal.kv.RequestId requestId(boolean present, io.raftnode.proto.RequestId id) {
    if (!present) return null;
    if (id.getClientId().isEmpty()) throw ClientErrors.invalid("request_id.client_id must not be empty");
    if (id.getClientId().length() > MAX_CLIENT_ID_CHARS) {
      throw ClientErrors.invalid("request_id.client_id is longer than " + MAX_CLIENT_ID_CHARS + " characters");
    }
    if (id.getSequence() < 0) throw ClientErrors.invalid("request_id.sequence must be below 2^63");
    // The request's own sequence is unanswered, so the lowest unanswered one cannot be above it.
    if (id.getFirstIncomplete() < 0 || id.getFirstIncomplete() > id.getSequence()) {
      throw ClientErrors.invalid("request_id.first_incomplete (" + Long.toUnsignedString(id.getFirstIncomplete())
          + ") must not be above request_id.sequence (" + id.getSequence() + ")");
    }
    return new io.raftnode.internal.kv.RequestId(id.getClientId(), id.getSequence(), id.getFirstIncomplete());
  }
}
