package io.raftnode.client;

import io.vertx.core.net.SocketAddress;

/** A node's client address, {@code host:port}. */
record NodeAddress(String host, int port) {
  static NodeAddress parse(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) throw new IllegalArgumentException("not host:port: " + text);
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not host:port: " + text);
    }
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + text);
    return new NodeAddress(host, port);
  }

  SocketAddress socketAddress() {
    return SocketAddress.inetSocketAddress(port, host);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
