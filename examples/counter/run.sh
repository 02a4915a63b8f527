#!/usr/bin/env bash
# The counter example without Maven, on the classpath of raftnode's node.jar (build it first: "mvn package
# -DskipTests" at the top of the repository).
#   ./run.sh demo         three nodes in one JVM (conf/node1..3.json)
#   ./run.sh start        three processes in the background; output in data/nodeI/out.log
#   ./run.sh stop         stops them
#   ./run.sh kill ID      kill -9 one of them, to watch another take over
#   ./run.sh restart ID   starts it again (it catches up from the others)
set -euo pipefail
cd "$(dirname "$0")"
JAR=../../target/node.jar
[ -f "$JAR" ] || { echo "run.sh: $JAR is missing: run 'mvn package -DskipTests' at the top of the repository" >&2; exit 1; }

compile() {
  mkdir -p target/run-classes
  javac --release 17 -d target/run-classes -cp "$JAR" $(find src/main/java -name '*.java')
}

start_node() {
  local id=$1
  mkdir -p "data/node$id"
  nohup java -cp "$JAR:target/run-classes" io.raftnode.examples.counter.CounterProcess "conf/node$id.json" \
    > "data/node$id/out.log" 2>&1 &
  echo $! > "data/node$id/pid"
  echo "node $id started (pid $!), output in data/node$id/out.log"
}

stop_node() {
  local id=$1 signal=${2:-TERM}
  local pidfile="data/node$id/pid"
  [ -f "$pidfile" ] || return 0
  kill "-$signal" "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
}

case "${1:-}" in
  demo) compile; java -cp "$JAR:target/run-classes" io.raftnode.examples.counter.CounterDemo conf ;;
  start) compile; for id in 1 2 3; do start_node "$id"; done ;;
  stop) for id in 1 2 3; do stop_node "$id"; done ;;
  kill) stop_node "${2:?usage: run.sh kill ID}" KILL ;;
  restart) stop_node "${2:?usage: run.sh restart ID}"; start_node "$2" ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
