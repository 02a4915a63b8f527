package io.raftnode.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Whatever goes wrong inside a decoder reaches the caller as a CodecException naming the type and path. */
class DecodeWrappingTest {
  private static final byte[] ONE_VALUE = {(byte) 0xc0};

  @Test
  void modelConstructorRejectionBecomesCodecException() {
    CodecException e = assertThrows(CodecException.class, () -> Codecs.decode("Thing", ONE_VALUE, r -> {
      r.enterField("inner");
      throw new IllegalArgumentException("term must be >= 0: -1");
    }));
    assertEquals("Thing.inner: invalid value: term must be >= 0: -1", e.getMessage());
  }

  @Test
  void unexpectedRuntimeExceptionsAndErrorsAreWrapped() {
    assertTrue(assertThrows(CodecException.class, () -> Codecs.decode("Thing", ONE_VALUE, r -> {
      throw new ClassCastException("boom");
    })).getMessage().startsWith("Thing: cannot decode: java.lang.ClassCastException"));
    assertThrows(CodecException.class, () -> Codecs.decode("Thing", ONE_VALUE, r -> {
      throw new StackOverflowError();
    }));
    assertThrows(CodecException.class, () -> Codecs.decode("Thing", ONE_VALUE, r -> {
      throw new NullPointerException();
    }));
  }

  @Test
  void encodersRejectNull() {
    assertThrows(IllegalArgumentException.class, () -> RaftCodec.encodeVote(null));
  }
}
