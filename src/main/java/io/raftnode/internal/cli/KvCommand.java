package io.raftnode.internal.cli;

import com.google.protobuf.ByteString;
import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.DeleteRequest;
import io.raftnode.proto.DeleteResponse;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kv put|get|delete|cas}: one KvService call; keys and values are UTF-8 strings on the command line. */
@Command(name = "kv", description = "Read and write keys (one KvService call).",
    subcommands = {KvCommand.Put.class, KvCommand.Get.class, KvCommand.Delete.class, KvCommand.Cas.class})
final class KvCommand extends CliCommand {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Usage.Error {
    throw needsSubcommand(spec);
  }

  @Command(name = "put", description = "Write KEY.")
  static final class Put extends CliCommand {
    @Parameters(index = "0", paramLabel = "KEY") String key;
    @Parameters(index = "1", paramLabel = "VALUE") String value;
    @Mixin ClientFlags client;

    @Override
    public Integer call() throws Usage.Error {
      return KvCommand.call(client.options(),
          PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build(), out, err);
    }
  }

  @Command(name = "get", description = "Read KEY.")
  static final class Get extends CliCommand {
    @Parameters(index = "0", paramLabel = "KEY") String key;
    @Option(names = "--consistency", paramLabel = "C", defaultValue = "linearizable",
        description = "linearizable (default), lease or stale")
    String consistency;
    @Mixin ClientFlags client;

    @Override
    public Integer call() throws Usage.Error {
      GetRequest request = GetRequest.newBuilder().setKey(bytes(key)).setConsistency(consistency(consistency)).build();
      return KvCommand.call(client.options(), request, out, err);
    }
  }

  @Command(name = "delete", description = "Delete KEY.")
  static final class Delete extends CliCommand {
    @Parameters(index = "0", paramLabel = "KEY") String key;
    @Mixin ClientFlags client;

    @Override
    public Integer call() throws Usage.Error {
      return KvCommand.call(client.options(), DeleteRequest.newBuilder().setKey(bytes(key)).build(), out, err);
    }
  }

  @Command(name = "cas", description = "Set KEY to NEW if it is EXPECTED (or, with --absent, if it does not exist).",
      customSynopsis = {"raftnode kv cas [OPTIONS] KEY EXPECTED NEW", "raftnode kv cas [OPTIONS] --absent KEY NEW"})
  static final class Cas extends CliCommand {
    @Option(names = "--absent", description = "succeed only if KEY does not exist") boolean absent;
    @Parameters(arity = "2..3", paramLabel = "WORD", description = "KEY EXPECTED NEW, or KEY NEW with --absent")
    List<String> words;
    @Mixin ClientFlags client;

    @Override
    public Integer call() throws Usage.Error {
      CompareAndSwapRequest.Builder cas = CompareAndSwapRequest.newBuilder();
      if (absent) {
        if (words.size() != 2) throw new Usage.Error("expected: kv cas --absent KEY NEW");
        cas.setKey(bytes(words.get(0))).setExpectPresent(false).setNewValue(bytes(words.get(1)));
      } else {
        if (words.size() != 3) throw new Usage.Error("expected: kv cas KEY EXPECTED NEW");
        cas.setKey(bytes(words.get(0))).setExpectPresent(true).setExpected(bytes(words.get(1)))
            .setNewValue(bytes(words.get(2)));
      }
      return KvCommand.call(client.options(), cas.build(), out, err);
    }
  }

  private static int call(ClientOptions options, Object request, PrintStream out, PrintStream err) {
    try (RpcClient client = new RpcClient(options)) {
      out.println(call(client, request));
      return 0;
    } catch (RpcException e) {
      err.println(request instanceof GetRequest ? e.describe() : e.describeWrite());
      return 1;
    }
  }

  private static String call(RpcClient client, Object request) throws RpcException {
    if (request instanceof PutRequest put) {
      PutResponse r = client.call(KvServiceGrpcClient.Put, put);
      return "put: revision=" + r.getRevision();
    }
    if (request instanceof GetRequest get) {
      GetResponse r = client.call(KvServiceGrpcClient.Get, get);
      return r.getFound() ? "get: found value=" + text(r.getValue()) + " revision=" + r.getRevision() : "get: not found";
    }
    if (request instanceof DeleteRequest delete) {
      DeleteResponse r = client.call(KvServiceGrpcClient.Delete, delete);
      return "delete: " + (r.getDeleted() ? "deleted" : "not found") + " revision=" + r.getRevision();
    }
    CompareAndSwapResponse r = client.call(KvServiceGrpcClient.CompareAndSwap, (CompareAndSwapRequest) request);
    if (r.getSucceeded()) return "cas: succeeded revision=" + r.getRevision();
    String current = r.getCurrentPresent() ? "value=" + text(r.getCurrentValue()) : "absent";
    return "cas: failed current " + current + " revision=" + r.getRevision();
  }

  static Consistency consistency(String name) throws Usage.Error {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "linearizable" -> Consistency.LINEARIZABLE;
      case "lease" -> Consistency.LEASE;
      case "stale" -> Consistency.STALE;
      default -> throw new Usage.Error("bad --consistency \"" + name + "\" (known: linearizable, lease, stale)");
    };
  }

  private static ByteString bytes(String text) {
    return ByteString.copyFrom(text, StandardCharsets.UTF_8);
  }

  private static String text(ByteString bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
