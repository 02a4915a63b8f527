package io.raftnode.sim;

/** A failed simulation run: what broke, the seed, the command that replays it, the last events and the cluster. */
final class SimulationFailure extends AssertionError {
  final long seed;

  SimulationFailure(long seed, String what, String trace, String state, Throwable cause) {
    super("simulation seed " + seed + " failed: " + what + "\n"
        + "replay: " + Simulation.replayCommand(seed) + "\n"
        + "last events:\n" + trace
        + "cluster: " + state
        + "replay: " + Simulation.replayCommand(seed), cause);
    this.seed = seed;
  }
}
