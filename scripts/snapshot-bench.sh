#!/usr/bin/env bash
# Snapshot transfer benchmark (not part of mvn verify): MB/s of a snapshot streamed to a node.jar follower, and
# the catch-up time of a wiped follower in a 3-node in-process cluster. Prints the figures and the machine.
#   scripts/snapshot-bench.sh [SIZES in MiB, default 64,256] [CHUNKS in KiB, default 64,1024,4096] [SCRATCH DIR]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SIZES="${1:-64,256}"
CHUNKS="${2:-64,1024,4096}"
SCRATCH="${3:-$ROOT/target/snapshot-bench}"

# package builds the shaded target/node.jar (the follower process) and compiles the test classes.
mvn -o -q package -DskipTests

rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, kernel $(uname -r)"
echo "disk:    $(df -hT "$SCRATCH" | awk 'NR==2 {print $1, $2, $3}')"
echo "java:    $(java -version 2>&1 | head -1)"
echo "command: scripts/snapshot-bench.sh $SIZES $CHUNKS"
java -Xmx6g -cp "target/test-classes:target/node.jar" io.raftnode.cluster.SnapshotBench "$SCRATCH" "$SIZES" "$CHUNKS" \
  2> "$SCRATCH/bench.log"
