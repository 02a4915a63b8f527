package io.raftnode.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts of their own on one machine: network namespaces, each with one address on a /24, joined by veth pairs to a
 * bridge in the root namespace (which holds the .254 address, so a test there reaches every host). Needs root and
 * {@code ip}. Every name carries the owning JVM's pid, so leftovers of a run that died are recognised and removed
 * ({@link #removeLeftovers}) while a run still going is left alone. Cutting a host off is a route change inside
 * its namespace: blackhole routes to the other hosts' addresses, which keep the root namespace's test able to ask
 * it for its status.
 */
final class NetnsNetwork implements AutoCloseable {
  static final String IP = "/usr/sbin/ip";
  private static final Pattern OWNED = Pattern.compile("^rn([0-9a-f]{5})[a-z][0-9]?$");

  private final String prefix;
  private final String subnet;
  private final List<String> namespaces = new ArrayList<>();
  private boolean bridgeUp;

  /** Builds nothing yet: {@code subnet} is the first three octets, e.g. "10.77.3". */
  NetnsNetwork(String subnet) {
    this.prefix = String.format("rn%05x", ProcessHandle.current().pid() & 0xfffff);
    this.subnet = subnet;
  }

  /** True when this process may create namespaces: runs a probe namespace and removes it. */
  static boolean available() {
    String probe = String.format("rn%05xz", ProcessHandle.current().pid() & 0xfffff);
    try {
      run(IP, "netns", "add", probe);
      run(IP, "netns", "del", probe);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Deletes the namespaces and links of earlier runs whose JVM no longer runs. */
  static void removeLeftovers() throws Exception {
    for (String ns : output(IP, "netns", "list").lines().map(l -> l.split(" ")[0]).toList()) {
      if (deadOwner(ns)) run(IP, "netns", "del", ns);
    }
    for (String line : output(IP, "-o", "link", "show").lines().toList()) {
      String[] fields = line.split(":\\s+");
      if (fields.length < 2) continue;
      String name = fields[1].split("@")[0];
      if (deadOwner(name)) run(IP, "link", "del", name);
    }
  }

  private static boolean deadOwner(String name) {
    Matcher m = OWNED.matcher(name);
    if (!m.matches()) return false;
    long pidBits = Long.parseLong(m.group(1), 16);
    return ProcessHandle.allProcesses().noneMatch(p -> (p.pid() & 0xfffff) == pidBits && p.isAlive());
  }

  /** Creates the bridge and hosts 1..count at {@code subnet.1} .. {@code subnet.count}. */
  void create(int count) throws Exception {
    String bridge = prefix + "b";
    run(IP, "link", "add", bridge, "type", "bridge");
    bridgeUp = true;
    run(IP, "addr", "add", subnet + ".254/24", "dev", bridge);
    run(IP, "link", "set", bridge, "up");
    for (int host = 1; host <= count; host++) {
      String ns = namespace(host);
      String outside = prefix + "h" + host;
      String inside = prefix + "p" + host;
      run(IP, "netns", "add", ns);
      namespaces.add(ns);
      run(IP, "link", "add", outside, "type", "veth", "peer", "name", inside);
      run(IP, "link", "set", inside, "netns", ns);
      run(IP, "link", "set", outside, "master", bridge, "up");
      run(IP, "netns", "exec", ns, IP, "addr", "add", address(host) + "/24", "dev", inside);
      run(IP, "netns", "exec", ns, IP, "link", "set", inside, "up");
      run(IP, "netns", "exec", ns, IP, "link", "set", "lo", "up");
    }
  }

  String namespace(int host) {
    return prefix + "n" + host;
  }

  String address(int host) {
    return subnet + "." + host;
  }

  /** The command line that runs {@code command} inside host's namespace. */
  List<String> inHost(int host, List<String> command) {
    List<String> line = new ArrayList<>(List.of(IP, "netns", "exec", namespace(host)));
    line.addAll(command);
    return line;
  }

  /** Host can no longer reach the {@code others}: each gets a blackhole route in its namespace. */
  void cutOff(int host, List<Integer> others) throws Exception {
    for (int other : others) run(inHost(host, List.of(IP, "route", "add", "blackhole", address(other) + "/32")));
  }

  /** Undoes {@link #cutOff}. */
  void heal(int host, List<Integer> others) throws Exception {
    for (int other : others) run(inHost(host, List.of(IP, "route", "del", "blackhole", address(other) + "/32")));
  }

  @Override
  public void close() {
    for (String ns : namespaces) quietly(IP, "netns", "del", ns); // their veth ends go, and with them the pairs
    if (bridgeUp) quietly(IP, "link", "del", prefix + "b");
    namespaces.clear();
    bridgeUp = false;
  }

  private static void quietly(String... command) {
    try {
      run(command);
    } catch (Exception e) {
      System.err.println("cleanup: " + e.getMessage());
    }
  }

  static void run(String... command) throws Exception {
    run(List.of(command));
  }

  static void run(List<String> command) throws Exception {
    output(command.toArray(String[]::new));
  }

  /** Runs a short command; its output, or an exception with the output when it fails. */
  static String output(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try {
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
    }
    if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out.strip());
    return out;
  }
}
