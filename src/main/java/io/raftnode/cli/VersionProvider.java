package io.raftnode.cli;

import io.raftnode.node.NodeVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code raftnode --version}: the version the jar was built as. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"raftnode " + NodeVersion.current()};
  }
}
