#!/usr/bin/env bash
# Runs the deterministic simulation over many seeds, outside the normal build (a soak).
#   scripts/soak.sh [N [FIRST]]   N seeds (default 100000) starting at FIRST (default 1)
# Every failing seed is listed with the command that replays it; the summary line gives seeds per second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N="${1:-100000}"
FIRST="${2:-1}"
[[ $N =~ ^[0-9]+$ && $FIRST =~ ^[0-9]+$ ]] || { echo "usage: scripts/soak.sh [N [FIRST]]" >&2; exit 2; }
status=0
mvn -o -q test -Dtest=SimulationTest -Dsim.seeds="$N" -Dsim.firstSeed="$FIRST" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.timeout=0 || status=$?
out=target/surefire-reports/io.raftnode.sim.SimulationTest-output.txt
[[ -f $out ]] && grep -E '^simulation' "$out" || true
if ((status != 0)); then
  echo "soak: failures; replay each seed with: mvn test -Dtest=SimulationTest -Dsim.seed=SEED" >&2
fi
exit "$status"
