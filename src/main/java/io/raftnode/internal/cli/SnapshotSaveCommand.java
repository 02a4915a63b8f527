package io.raftnode.internal.cli;

import io.raftnode.HostAndPort;
import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.storage.BackupFile;
import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.SaveSnapshotRequest;
import io.raftnode.proto.SnapshotChunk;
import io.raftnode.proto.SnapshotInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code snapshot save FILE}: streams a snapshot from a node (AdminService.SaveSnapshot) into a backup file. The
 * bytes go to FILE.part, are checked against the CRC32C the node sent, fsynced, and only then renamed to FILE, so
 * FILE is either a complete, verified backup or untouched.
 */
@Command(name = "save", mixinStandardHelpOptions = true,
    description = {"Save a snapshot of the node's state to FILE, a backup that `snapshot restore` turns into the "
        + "data dirs of a new cluster (docs/OPERATIONS.md, \"Backups\").",
        "By default the node first takes a fresh snapshot covering every write acknowledged before the call."},
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:saved", "1:the call failed or the copy was damaged",
        "2:bad usage"})
public final class SnapshotSaveCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "where to write the backup")
  Path file;

  @Option(names = "--use-latest", description = "save the node's newest snapshot as it is instead of taking one "
      + "(faster, but it may miss the latest writes)")
  boolean useLatest;

  @Option(names = "--server", paramLabel = "HOST:PORT", defaultValue = ClientOptions.DEFAULT_SERVER,
      description = "the node's client address (default ${DEFAULT-VALUE})")
  String server;

  @Option(names = "--timeout-ms", paramLabel = "N", defaultValue = "60000",
      description = "give up when nothing arrives from the node for N ms (default ${DEFAULT-VALUE}); "
          + "taking the snapshot counts")
  long timeoutMs;

  @Option(names = "--tls", description = "connect with TLS (the node's client_tls.enabled)")
  boolean tls;

  @Option(names = "--ca", paramLabel = "FILE", description = "PEM CA to verify the node's certificate")
  Path ca;

  @Option(names = "--cert", paramLabel = "FILE", description = "client certificate (with --key)")
  Path cert;

  @Option(names = "--key", paramLabel = "FILE", description = "client private key (with --cert)")
  Path key;

  @Override
  public Integer call() {
    ClientOptions options = options();
    try (RpcClient client = new RpcClient(options)) {
      SnapshotInfo info = save(client);
      spec.commandLine().getOut().printf("snapshot save: %s: last_index=%d last_term=%d bytes=%d crc32c=%08x "
              + "(snapshot %s of node %d)%n", file, info.getLastIndex(), info.getLastTerm(), info.getSize(),
          info.getCrc32C(), info.getSnapshotId(), info.getNodeId());
      return 0;
    } catch (RpcException e) {
      spec.commandLine().getErr().println(e.describe());
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage() + " (" + file + " was not written)");
    }
    return 1;
  }

  private SnapshotInfo save(RpcClient client) throws RpcException, IOException {
    RpcStream<SnapshotChunk> stream = client.stream(AdminServiceGrpcClient.SaveSnapshot,
        SaveSnapshotRequest.newBuilder().setUseLatest(useLatest).build());
    SnapshotChunk first = stream.next();
    if (first == null || !first.hasInfo()) throw new IOException("the node sent no snapshot info");
    SnapshotInfo info = first.getInfo();
    SnapshotMeta meta;
    try {
      meta = RaftCodec.decodeSnapshotMeta(info.getMeta().toByteArray());
    } catch (CodecException e) {
      throw new IOException("the node sent a snapshot meta that does not decode: " + e.getMessage(), e);
    }
    try (BackupFile.Writer writer = BackupFile.create(file, meta)) {
      for (SnapshotChunk chunk; (chunk = stream.next()) != null; ) {
        if (writer.length() + chunk.getData().size() > info.getSize())
          throw new IOException("the node sent more than the " + info.getSize() + " bytes it announced");
        writer.write(chunk.getData().toByteArray());
      }
      writer.commit(info.getSize(), Integer.toUnsignedLong(info.getCrc32C()));
    }
    return info;
  }

  private ClientOptions options() {
    HostAndPort address;
    try {
      address = HostAndPort.parse(server);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "bad --server: " + e.getMessage());
    }
    if (timeoutMs < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "bad --timeout-ms: must be 1 or more");
    if (!tls && (ca != null || cert != null || key != null))
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ca, --cert and --key need --tls");
    if ((cert == null) != (key == null))
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--cert and --key go together");
    return new ClientOptions(address, timeoutMs, tls ? new ClientOptions.Tls(ca, cert, key) : null);
  }
}
