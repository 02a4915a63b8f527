#!/usr/bin/env bash
# Storage benchmark (not part of mvn verify): raw fsync rate of the disk, group commit through StorageWorker,
# and the time to reopen a 1 GiB log. Prints the figures and the machine they were measured on.
#   scripts/storage-bench.sh [SECONDS per run, default 10] [GiB for the reopen test, default 1] [SCRATCH DIR]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_RUN="${1:-10}"
GIB="${2:-1}"
SCRATCH="${3:-$ROOT/target/storage-bench}"

# package builds the shaded target/node.jar (the classes and every dependency) and compiles the test classes.
mvn -o -q package -DskipTests

echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, kernel $(uname -r)"
mkdir -p "$SCRATCH"
echo "disk:    $(df -hT "$SCRATCH" | awk 'NR==2 {print $1, $2, $3}') ($(lsblk -dno NAME,SIZE,ROTA,MODEL 2>/dev/null | grep -v zram | head -1 | xargs))"
echo "java:    $(java -version 2>&1 | head -1)"
echo "command: scripts/storage-bench.sh $SECONDS_PER_RUN $GIB"
java -cp "target/test-classes:target/node.jar" \
  io.raftnode.internal.node.StorageBench "$SCRATCH" "$SECONDS_PER_RUN" "$GIB"
