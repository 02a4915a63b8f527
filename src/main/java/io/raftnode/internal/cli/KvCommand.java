package io.raftnode.internal.cli;

import io.raftnode.client.CompareAndSwapResult;
import io.raftnode.client.DeleteResult;
import io.raftnode.client.GetResult;
import io.raftnode.client.ReadConsistency;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kv put|get|delete|cas} through the cluster's client ({@link KvCall}); keys and values are UTF-8 strings on
 * the command line.
 */
@Command(name = "kv", description = "Read and write keys (retried where safe; a write is applied once).",
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
      return KvCall.run(client.options(), true, c -> c.put(bytes(key), bytes(value)),
          r -> "put: revision=" + r.revision(), out, err);
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
      ReadConsistency read = consistency(consistency);
      return KvCall.run(client.options(), false, c -> c.get(bytes(key), read), KvCommand::found, out, err);
    }
  }

  @Command(name = "delete", description = "Delete KEY.")
  static final class Delete extends CliCommand {
    @Parameters(index = "0", paramLabel = "KEY") String key;
    @Mixin ClientFlags client;

    @Override
    public Integer call() throws Usage.Error {
      return KvCall.run(client.options(), true, c -> c.delete(bytes(key)), KvCommand::deleted, out, err);
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
      if (absent && words.size() != 2) throw new Usage.Error("expected: kv cas --absent KEY NEW");
      if (!absent && words.size() != 3) throw new Usage.Error("expected: kv cas KEY EXPECTED NEW");
      byte[] key = bytes(words.get(0));
      byte[] expected = absent ? null : bytes(words.get(1)); // null: the key must not exist
      byte[] newValue = bytes(words.get(words.size() - 1));
      return KvCall.run(client.options(), true, c -> c.compareAndSwap(key, expected, newValue), KvCommand::swapped,
          out, err);
    }
  }

  private static String found(GetResult r) {
    return r.found() ? "get: found value=" + r.valueUtf8() + " revision=" + r.revision() : "get: not found";
  }

  private static String deleted(DeleteResult r) {
    return "delete: " + (r.deleted() ? "deleted" : "not found") + " revision=" + r.revision();
  }

  private static String swapped(CompareAndSwapResult r) {
    if (r.succeeded()) return "cas: succeeded revision=" + r.revision();
    String current = r.currentPresent() ? "value=" + text(r.currentValue()) : "absent";
    return "cas: failed current " + current + " revision=" + r.revision();
  }

  static ReadConsistency consistency(String name) throws Usage.Error {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "linearizable" -> ReadConsistency.LINEARIZABLE;
      case "lease" -> ReadConsistency.LEASE;
      case "stale" -> ReadConsistency.STALE;
      default -> throw new Usage.Error("bad --consistency \"" + name + "\" (known: linearizable, lease, stale)");
    };
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
