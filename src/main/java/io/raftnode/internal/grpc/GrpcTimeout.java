package io.raftnode.internal.grpc;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The grpc-timeout request header: at most 8 digits and a unit (H, M, S, m, u, n). */
public final class GrpcTimeout {
  private static final Pattern FORMAT = Pattern.compile("([0-9]{1,8})([HMSmun])");

  private GrpcTimeout() {}

  /**
   * The timeout in whole milliseconds, rounded up so that a deadline below one millisecond still passes rather
   * than meaning "none"; -1 when the header is absent or malformed (the call then has no deadline, as in Vert.x).
   */
  public static long toMillis(String header) {
    if (header == null) return -1;
    Matcher m = FORMAT.matcher(header);
    if (!m.matches()) return -1;
    long value = Long.parseLong(m.group(1));
    TimeUnit unit = unit(m.group(2).charAt(0));
    long millis = unit.toMillis(value);
    if (unit.convert(millis, TimeUnit.MILLISECONDS) < value) millis++; // a part of a millisecond left over
    return Math.max(1, millis);
  }

  private static TimeUnit unit(char unit) {
    return switch (unit) {
      case 'H' -> TimeUnit.HOURS;
      case 'M' -> TimeUnit.MINUTES;
      case 'S' -> TimeUnit.SECONDS;
      case 'm' -> TimeUnit.MILLISECONDS;
      case 'u' -> TimeUnit.MICROSECONDS;
      default -> TimeUnit.NANOSECONDS;
    };
  }
}
