package io.raftnode.internal.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GrpcTimeoutTest {
  @Test
  void everyUnitIsReadAndPartsOfAMillisecondRoundUp() {
    assertEquals(2 * 3_600_000L, GrpcTimeout.toMillis("2H"));
    assertEquals(3 * 60_000L, GrpcTimeout.toMillis("3M"));
    assertEquals(5_000L, GrpcTimeout.toMillis("5S"));
    assertEquals(300L, GrpcTimeout.toMillis("300m"));
    assertEquals(2L, GrpcTimeout.toMillis("1500u"));
    assertEquals(1L, GrpcTimeout.toMillis("1n"), "a deadline below a millisecond still passes");
    assertEquals(1L, GrpcTimeout.toMillis("0m"), "a deadline of zero has already passed");
    assertEquals(99_999_999L * 3_600_000L, GrpcTimeout.toMillis("99999999H"));
  }

  @Test
  void anAbsentOrMalformedHeaderMeansNoDeadline() {
    for (String header : new String[] {null, "", "5", "m", "123456789m", "5s", "-5m", "5 m", "1.5S"}) {
      assertEquals(-1L, GrpcTimeout.toMillis(header), String.valueOf(header));
    }
  }
}
