#!/usr/bin/env bash
# Long form of the multi-process fault test (src/test/java/io/raftnode/process/ProcessFaultIT.java): builds
# target/node.jar, starts a real 3-node cluster and runs ROUNDS fault rounds (kill -9 the leader, SIGSTOP/SIGCONT a
# follower, kill -9 and restart a node) under a client workload, then checks every acknowledged write on every node
# and the linearizability of the history.
#   scripts/process-faults.sh [ROUNDS [SEED]]    default 10 rounds (about 20 s per round)
# After a failure the nodes' logs and data stay in target/process-faults/run-SEED/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS="${1:-10}"
[[ $ROUNDS =~ ^[0-9]+$ ]] || { echo "usage: scripts/process-faults.sh [ROUNDS [SEED]]" >&2; exit 2; }
args=(-Dprocess.rounds="$ROUNDS")
if [[ -n ${2:-} ]]; then args+=(-Dprocess.seed="$2"); fi
status=0
mvn -o -q package -DskipTests
mvn -o -q surefire:test@process-faults "${args[@]}" || status=$?
out=target/surefire-reports/io.raftnode.process.ProcessFaultIT-output.txt
[[ -f $out ]] && grep '^\[process-faults\]' "$out" | grep -v 'log tail' || true
exit "$status"
