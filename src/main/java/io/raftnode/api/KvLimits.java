package io.raftnode.api;

/** Size limits of the key-value API; requests beyond them are refused with INVALID_ARGUMENT. */
final class KvLimits {
  static final int MAX_KEY_BYTES = 4 * 1024;
  static final int MAX_VALUE_BYTES = 1024 * 1024;

  private KvLimits() {}

  static void checkKey(com.google.protobuf.ByteString key) {
    if (key.isEmpty()) throw ClientErrors.invalid("key must not be empty");
    if (key.size() > MAX_KEY_BYTES) {
      throw ClientErrors.invalid("key is " + key.size() + " bytes; the limit is " + MAX_KEY_BYTES);
    }
  }

  static void checkValue(String name, com.google.protobuf.ByteString value) {
    if (value.size() > MAX_VALUE_BYTES) {
      throw ClientErrors.invalid(name + " is " + value.size() + " bytes; the limit is " + MAX_VALUE_BYTES);
    }
  }
}
