package io.raftnode.internal.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GrpcStatusWriterTest {
  @Test
  void grpcMessageIsPercentEncodedUtf8() {
    assertEquals("plain text: (ok) ~", GrpcStatusWriter.percentEncode("plain text: (ok) ~"));
    assertEquals("100%25 sure", GrpcStatusWriter.percentEncode("100% sure"));
    assertEquals("line%0Anext%09tab", GrpcStatusWriter.percentEncode("line\nnext\ttab"));
    assertEquals("caf%C3%A9 %E2%82%AC", GrpcStatusWriter.percentEncode("café €"));
  }
}
