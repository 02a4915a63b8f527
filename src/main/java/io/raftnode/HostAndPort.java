package io.raftnode;

/**
 * A "host:port" network address: where a node listens (its peer, client and metrics addresses in
 * {@link NodeConfig}) and where a client reaches a leader ({@link KnownLeader#clientAddress()}).
 *
 * @param host a host name or IP address (an IPv6 address without brackets)
 * @param port the TCP port, 1..65535
 */
public record HostAndPort(String host, int port) {
  /**
   * Checks the parts.
   *
   * @param host a host name or IP address
   * @param port the TCP port
   * @throws IllegalArgumentException when the host is empty or the port is out of range
   */
  public HostAndPort {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("host must not be empty");
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be in 1..65535: " + port);
  }

  /**
   * Parses "host:port" (IPv6 as "[::1]:port").
   *
   * @param text the address as written in a config file or on a command line
   * @return the address
   * @throws IllegalArgumentException naming the problem when {@code text} is not such an address
   */
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

  /** The address as {@link #parse} reads it: "host:port", an IPv6 host in brackets. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
