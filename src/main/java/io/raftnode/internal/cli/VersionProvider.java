package io.raftnode.internal.cli;

import io.raftnode.internal.node.NodeVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code raftnode --version}: the version the jar was built as. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"raftnode " + NodeVersion.current()};
  }
}
