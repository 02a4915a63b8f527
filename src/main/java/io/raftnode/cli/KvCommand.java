package io.raftnode.cli;

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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code kv put|get|delete|cas}: one KvService call; keys and values are UTF-8 strings on the command line. */
final class KvCommand {
  private static final Set<String> OPTIONS = with(ClientOptions.NAMES, "--consistency");
  private static final Set<String> FLAGS = Set.of("--absent", "--tls");

  private KvCommand() {}

  static int run(List<String> words, PrintStream out, PrintStream err) throws Usage.Error {
    Args args = Args.parse(words, OPTIONS, FLAGS);
    List<String> p = args.positionals();
    if (p.isEmpty()) throw new Usage.Error("kv needs a subcommand: put, get, delete or cas");
    String sub = p.get(0);
    if (!sub.equals("get") && args.flag("--consistency"))
      throw new Usage.Error("--consistency applies to kv get only");
    if (!sub.equals("cas") && args.flag("--absent")) throw new Usage.Error("--absent applies to kv cas only");
    // Validate the whole command line before connecting, so a usage error never touches the network.
    Object request = switch (sub) {
      case "put" -> {
        args.expect(3, "kv put KEY VALUE");
        yield PutRequest.newBuilder().setKey(bytes(p.get(1))).setValue(bytes(p.get(2))).build();
      }
      case "get" -> {
        args.expect(2, "kv get KEY [--consistency linearizable|lease|stale]");
        yield GetRequest.newBuilder().setKey(bytes(p.get(1)))
            .setConsistency(consistency(args.option("--consistency", "linearizable"))).build();
      }
      case "delete" -> {
        args.expect(2, "kv delete KEY");
        yield DeleteRequest.newBuilder().setKey(bytes(p.get(1))).build();
      }
      case "cas" -> cas(args);
      default -> throw new Usage.Error("unknown kv subcommand \"" + sub + "\" (known: put, get, delete, cas)");
    };
    ClientOptions options = ClientOptions.from(args);
    try (RpcClient client = new RpcClient(options)) {
      out.println(call(client, request));
      return 0;
    } catch (RpcException e) {
      err.println(request instanceof GetRequest ? e.describe() : e.describeWrite());
      return 1;
    }
  }

  private static CompareAndSwapRequest cas(Args args) throws Usage.Error {
    List<String> p = args.positionals();
    CompareAndSwapRequest.Builder cas = CompareAndSwapRequest.newBuilder();
    if (args.flag("--absent")) {
      args.expect(3, "kv cas --absent KEY NEW");
      return cas.setKey(bytes(p.get(1))).setExpectPresent(false).setNewValue(bytes(p.get(2))).build();
    }
    args.expect(4, "kv cas KEY EXPECTED NEW");
    return cas.setKey(bytes(p.get(1))).setExpectPresent(true).setExpected(bytes(p.get(2)))
        .setNewValue(bytes(p.get(3))).build();
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

  private static Set<String> with(Set<String> base, String extra) {
    Set<String> all = new HashSet<>(base);
    all.add(extra);
    return Set.copyOf(all);
  }
}
