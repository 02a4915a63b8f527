package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Certificates for tests: scripts/gen-certs.sh for a cluster, openssl directly for the odd ones. */
public final class TestCerts {
  private TestCerts() {}

  /** A CA, node1..N and a client certificate in {@code dir}, made by scripts/gen-certs.sh as an operator would. */
  public static Path cluster(Path dir, int nodes) {
    run(dir, "bash", Path.of("scripts/gen-certs.sh").toAbsolutePath().toString(), "--dir", dir.toString(),
        Integer.toString(nodes));
    return dir;
  }

  /**
   * A certificate for node {@code nodeId} signed by the CA in {@code caDir} but valid only on 1-2 January 2020,
   * written to {@code dir}/expired.crt and .key. {@code openssl ca} is the openssl 3.0 command that takes explicit
   * validity dates.
   */
  static void expired(Path caDir, Path dir, long nodeId) throws IOException {
    Files.createDirectories(dir.resolve("newcerts"));
    Files.writeString(dir.resolve("index.txt"), "");
    Files.writeString(dir.resolve("serial"), "1000\n");
    Files.writeString(dir.resolve("ca.cnf"), String.join("\n",
        "[ca]", "default_ca = test_ca",
        "[test_ca]", "dir = " + dir, "database = $dir/index.txt", "new_certs_dir = $dir/newcerts",
        "serial = $dir/serial", "default_md = sha256", "policy = any", "unique_subject = no",
        "[any]", "commonName = supplied",
        "[node]", "basicConstraints = critical,CA:FALSE", "extendedKeyUsage = serverAuth,clientAuth",
        "subjectAltName = IP:127.0.0.1,DNS:localhost,URI:raftnode://node/" + nodeId, ""));
    run(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", dir.resolve("expired.key").toString());
    run(dir, "openssl", "req", "-new", "-key", dir.resolve("expired.key").toString(), "-subj", "/CN=node-" + nodeId,
        "-out", dir.resolve("expired.csr").toString());
    run(dir, "openssl", "ca", "-batch", "-notext", "-config", dir.resolve("ca.cnf").toString(),
        "-cert", caDir.resolve("ca.crt").toString(), "-keyfile", caDir.resolve("ca.key").toString(),
        "-in", dir.resolve("expired.csr").toString(), "-out", dir.resolve("expired.crt").toString(),
        "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extensions", "node");
  }

  /**
   * A certificate {@code dir}/{@code name}.crt (and .key) signed by the CA in {@code caDir} with the given
   * subjectAltName, e.g. {@code "DNS:example.com,URI:raftnode://node/1"}.
   */
  public static void signed(Path caDir, Path dir, String name, String subjectAltName) throws IOException {
    Files.createDirectories(dir);
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, "extendedKeyUsage = serverAuth,clientAuth\nsubjectAltName = " + subjectAltName + "\n");
    String key = dir.resolve(name + ".key").toString();
    String csr = dir.resolve(name + ".csr").toString();
    run(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key);
    run(dir, "openssl", "req", "-new", "-key", key, "-subj", "/CN=" + name, "-out", csr);
    run(dir, "openssl", "x509", "-req", "-in", csr, "-CA", caDir.resolve("ca.crt").toString(),
        "-CAkey", caDir.resolve("ca.key").toString(), "-CAcreateserial", "-CAserial", dir.resolve(name + ".srl").toString(),
        "-days", "30", "-extfile", ext.toString(), "-out", dir.resolve(name + ".crt").toString());
  }

  /** Runs a command in {@code dir} with its output in a file there, failing the test with that output. */
  private static void run(Path dir, String... command) {
    try {
      Files.createDirectories(dir);
      Path out = Files.createTempFile(dir, "command", ".out");
      Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
      }
      assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + Files.readString(out));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command[0] + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command[0]);
    }
  }
}
