package io.raftnode.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line split into positional words and {@code --name value} / {@code --flag} options. Options may appear
 * anywhere ("kv get x --server h:p"); {@code --} ends them so values that start with "-" can still be given.
 */
final class Args {
  private final List<String> positionals = new ArrayList<>();
  private final Map<String, String> options = new HashMap<>();

  private Args() {}

  /**
   * Splits {@code words}; {@code withValue} are the options that take a value, {@code flags} those that do not.
   * Anything else that starts with "-" is a usage error, so a typo never becomes a key or value.
   */
  static Args parse(List<String> words, Set<String> withValue, Set<String> flags) throws Usage.Error {
    Args args = new Args();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("--")) {
        args.positionals.addAll(words.subList(i + 1, words.size()));
        break;
      }
      if (!word.startsWith("-") || word.equals("-")) {
        args.positionals.add(word);
      } else if (withValue.contains(word)) {
        if (i + 1 >= words.size()) throw new Usage.Error("option " + word + " needs a value");
        if (args.options.put(word, words.get(++i)) != null) throw new Usage.Error("option " + word + " given twice");
      } else if (flags.contains(word)) {
        args.options.put(word, "true");
      } else {
        throw new Usage.Error("unknown option " + word);
      }
    }
    return args;
  }

  List<String> positionals() {
    return positionals;
  }

  String option(String name, String defaultValue) {
    return options.getOrDefault(name, defaultValue);
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  /** Checks the number of positional words; {@code shape} names them for the error message. */
  void expect(int count, String shape) throws Usage.Error {
    if (positionals.size() != count) throw new Usage.Error("expected: " + shape);
  }
}
