package io.raftnode.api;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;

/** HTTP options for calls between nodes' client ports (forwarding to the leader). */
final class ClientChannels {
  private ClientChannels() {}

  static HttpClientOptions plaintextHttp2() {
    return new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
  }
}
