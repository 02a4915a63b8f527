package io.raftnode.internal.cli;

/** Bad command-line usage found after parsing; {@link Cli} prints the message and the command's help, exit 2. */
final class Usage {
  private Usage() {}

  static final class Error extends Exception {
    private static final long serialVersionUID = 1L;

    Error(String message) {
      super(message);
    }
  }
}
