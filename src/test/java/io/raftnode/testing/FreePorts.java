package io.raftnode.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports for tests that start nodes. */
public final class FreePorts {
  private FreePorts() {}

  /**
   * {@code n} distinct free ports. Every socket stays open until all are chosen: a port handed out twice would not
   * fail to bind when two servers of one Vert.x instance share it (they take turns accepting connections), so one
   * node would silently receive another's traffic.
   */
  public static List<Integer> of(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket socket = new ServerSocket(0);
        socket.setReuseAddress(true);
        sockets.add(socket);
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) socket.close();
    }
  }
}
