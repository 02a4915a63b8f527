package io.raftnode.cluster;

import io.raftnode.HostAndPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** One scrape of a node's {@code GET /metrics}, parsed: sample name with its labels, as written, to value. */
record MetricsScrape(String contentType, Map<String, Double> samples) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static MetricsScrape of(HostAndPort address) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://" + address.host() + ":" + address.port() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) throw new IOException("GET /metrics answered " + response.statusCode() + ": " + response.body());
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return new MetricsScrape(response.headers().firstValue("Content-Type").orElse(""), samples);
  }

  /** The value of {@code sample} (a name, or a name with labels as the registry writes them); fails when absent. */
  double get(String sample) {
    Double value = samples.get(sample);
    if (value == null) throw new AssertionError("no sample " + sample + " in the scrape; it has " + new java.util.TreeSet<>(samples.keySet()));
    return value;
  }

  /** A per-peer sample, such as {@code raftnode_peer_sent_bytes_total} with {@code peer="2"}. */
  double peer(String name, long peer) {
    return get(name + "{peer=\"" + peer + "\"}");
  }
}
