package io.raftnode.internal.model;

/** A "host:port" network address. */
public record HostAndPort(String host, int port) {
  public HostAndPort {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("host must not be empty");
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be in 1..65535: " + port);
  }

  /** Parses "host:port" (IPv6 as "[::1]:port"); throws IllegalArgumentException naming the problem. */
  public static HostAndPort parse(String text) {
    if (text == null) throw new IllegalArgumentException("address is missing");
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1)
      throw new IllegalArgumentException("address must look like host:port, got \"" + text + "\"");
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in \"" + text + "\"");
    }
    return new HostAndPort(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
