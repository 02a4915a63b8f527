#!/usr/bin/env bash
# Runs a local raftnode cluster on 127.0.0.1 for development and demos.
# Each node I keeps its data, log (node.log) and pid (node.pid) in data/nodeI/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JAR=target/node.jar
START_WAIT_SECONDS=60
STOP_WAIT_SECONDS=10
# Remembers the size of the last started cluster, so restart finds the right config for a founding node.
SIZE_FILE=data/cluster.size
# The ids of the cluster's members, one a line: the founders, then the nodes added (add, replace), less the removed.
NODES_FILE=data/cluster.nodes
# Every id this cluster has used: a removed id is never used again (the cluster refuses it).
USED_FILE=data/cluster.used

usage() {
  cat <<'EOF'
usage: scripts/cluster.sh COMMAND

  start [N]     start N nodes (1..9, default 3) and wait until they answer and one is leader
                N=3 uses conf/node1..3.json; other sizes generate data/conf/nodeI.json
                (peer port 7100+I, client port 7200+I)
  stop          stop every node (SIGTERM, then SIGKILL after 10 s)
  status        show each node's pid, role, term and leader
  top           live view of the cluster (node.jar top at the first running member); Ctrl-C ends it
  kill ID       kill -9 node ID (to test failures; restart brings it back)
  restart ID    stop node ID if it is running, then start it again with its config
                (a node reads its TLS key and certificate when it starts: restart it after rotating them)
  add [ID]      start a new node (default id: one above every id used so far) with "members": {} and its
                own certificate, add it as a learner, and promote it to voter once it has caught up
  remove ID     remove node ID from the cluster (a voter through a joint change; the leader hands over
                first), then stop it; its id is never used again
  replace ID    replace node ID, e.g. after its disk was lost: stop it, remove it, add a new node (add)
  help          show this text

Peers talk mTLS; start creates the certificates in conf/tls/ (scripts/gen-certs.sh) when they are missing.
Logs: data/nodeI/node.log. Build the jar first: mvn -q package -DskipTests
EOF
}

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

require_jar() {
  command -v java >/dev/null || die "java not found; install a JDK 17 or newer"
  [[ -f $JAR ]] || die "$JAR not found; run mvn package first (mvn -q package -DskipTests)"
}

check_id() {
  [[ ${1:-} =~ ^[1-9][0-9]?$ ]] || die "node id must be 1..99, got '${1:-}'"
}

member_ids() {
  [[ -f $NODES_FILE ]] || die "no cluster has been started here; use: scripts/cluster.sh start N"
  sort -n "$NODES_FILE"
}

is_member() {
  [[ -f $NODES_FILE ]] && grep -qx "$1" "$NODES_FILE"
}

pid_file() { echo "data/node$1/node.pid"; }

# The node's pid if its process is alive and is really a node (pid files can outlive a reboot).
live_pid() {
  local file pid
  file="$(pid_file "$1")"
  [[ -f $file ]] || return 1
  pid="$(cat "$file")"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r /proc/$pid/cmdline ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "node.jar" || return 1
  elif command -v ps >/dev/null; then
    ps -p "$pid" -o args= | grep -q "node.jar" || return 1
  fi
  echo "$pid"
}

# Ids of the nodes that have a pid file, in order.
known_ids() {
  local file id
  for file in data/node*/node.pid; do
    [[ -e $file ]] || continue
    id="${file#data/node}"
    id="${id%/node.pid}"
    [[ $id =~ ^[1-9][0-9]?$ ]] && echo "$id"
  done | sort -n
}

cluster_size() {
  [[ -f $SIZE_FILE ]] || die "no cluster has been started here; use: scripts/cluster.sh start N"
  cat "$SIZE_FILE"
}

# The founders of a 3-node cluster use the shipped conf/nodeI.json; every other node data/conf/nodeI.json.
config_for() {
  local id="$1" size="$2"
  if [[ $size == 3 ]] && ((id <= 3)); then echo "conf/node$id.json"; else echo "data/conf/node$id.json"; fi
}

# The top-level client_address of a config file (it comes before "members" in every config this script uses).
client_address_of() {
  sed -n 's/^ *"client_address": *"\([^"]*\)".*/\1/p' "$1" | head -n 1
}

generate_configs() {
  local size="$1" i j members
  mkdir -p data/conf
  members=""
  for ((j = 1; j <= size; j++)); do
    members+="    \"$j\": {\"peer_address\": \"127.0.0.1:$((7100 + j))\", \"client_address\": \"127.0.0.1:$((7200 + j))\"}"
    if ((j < size)); then members+=$',\n'; fi
  done
  for ((i = 1; i <= size; i++)); do
    cat >"data/conf/node$i.json" <<EOF
{
  "node_id": $i,
  "peer_address": "127.0.0.1:$((7100 + i))",
  "client_address": "127.0.0.1:$((7200 + i))",
  "metrics_address": "127.0.0.1:$((7300 + i))",
  "data_dir": "data/node$i",
  "members": {
$members
  },
  "tls": {"enabled": true, "cert": "conf/tls/node$i.crt", "key": "conf/tls/node$i.key", "ca": "conf/tls/ca.crt"},
  "client_tls": {"enabled": false, "require_client_cert": false},
  "raft": {"heartbeat_interval_ms": 50, "election_timeout_min_ms": 150, "election_timeout_max_ms": 300}
}
EOF
  done
}

# The config of a node that is to be added: no members, so it starts empty and waits until the leader adds it.
generate_joiner_config() {
  local id="$1"
  mkdir -p data/conf
  cat >"data/conf/node$id.json" <<EOF
{
  "node_id": $id,
  "peer_address": "127.0.0.1:$((7100 + id))",
  "client_address": "127.0.0.1:$((7200 + id))",
  "data_dir": "data/node$id",
  "members": {},
  "tls": {"enabled": true, "cert": "conf/tls/node$id.crt", "key": "conf/tls/node$id.key", "ca": "conf/tls/ca.crt"},
  "client_tls": {"enabled": false, "require_client_cert": false},
  "raft": {"heartbeat_interval_ms": 50, "election_timeout_min_ms": 150, "election_timeout_max_ms": 300}
}
EOF
}

# Creates the CA and the certificates of nodes 1..N under conf/tls/ unless they exist (scripts/gen-certs.sh keeps
# existing files, so this only adds what is missing).
ensure_certs() {
  local size="$1" id missing=no
  [[ -f conf/tls/ca.crt ]] || missing=yes
  for ((id = 1; id <= size; id++)); do
    [[ -f conf/tls/node$id.crt && -f conf/tls/node$id.key ]] || missing=yes
  done
  if [[ $missing == yes ]]; then
    "$ROOT/scripts/gen-certs.sh" "$size" || die "could not create certificates in conf/tls/ (needs openssl)"
  fi
}

launch() {
  local id="$1" config="$2"
  mkdir -p "data/node$id"
  # nohup: the node must outlive the terminal that started it. A node out of heap exits at once (the JVM says
  # "Terminating due to java.lang.OutOfMemoryError" in node.log) instead of lingering half-alive.
  # shellcheck disable=SC2086 # RAFTNODE_JVM_OPTIONS is a list of words
  nohup java ${RAFTNODE_JVM_OPTIONS:-} -XX:+ExitOnOutOfMemoryError -jar "$JAR" -conf "$config" >"data/node$id/node.log" 2>&1 </dev/null &
  echo $! >"$(pid_file "$id")"
  echo "started node $id (pid $!, config $config, log data/node$id/node.log)"
}

# Prints the status command's output for a node, or fails if it does not answer.
node_status() {
  local config="$1"
  java -jar "$JAR" status --server "$(client_address_of "$config")" --timeout-ms 3000 2>/dev/null
}

field() {
  sed -n "s/^$1: //p" <<<"$2"
}

print_table() {
  local size="$1" id pid alive out
  printf '%-4s %-8s %-6s %-10s %-6s %-7s %s\n' ID PID ALIVE ROLE TERM LEADER COMMIT
  for id in $(member_ids); do
    pid="-" alive=no out=""
    if pid="$(live_pid "$id")"; then alive=yes; else pid="-"; fi
    if [[ $alive == yes ]] && out="$(node_status "$(config_for "$id" "$size")")"; then
      printf '%-4s %-8s %-6s %-10s %-6s %-7s %s\n' "$id" "$pid" "$alive" "$(field role "$out")" \
        "$(field term "$out")" "$(field leader_id "$out")" "$(field commit_index "$out")"
    else
      printf '%-4s %-8s %-6s %-10s %-6s %-7s %s\n' "$id" "$pid" "$alive" "-" "-" "-" "-"
    fi
  done
}

show_log_tail() {
  echo "--- last lines of data/node$1/node.log:" >&2
  tail -n 20 "data/node$1/node.log" >&2 || true
}

# Waits until nodes $2.. answer status and, if $1 is "leader", one of them reports being leader.
wait_ready() {
  local need_leader="$1" size="$2" deadline id out answered leader
  shift 2
  deadline=$((SECONDS + START_WAIT_SECONDS))
  while ((SECONDS < deadline)); do
    answered=0 leader=no
    for id in "$@"; do
      if ! live_pid "$id" >/dev/null; then
        show_log_tail "$id"
        die "node $id exited during start-up (stop the others with: scripts/cluster.sh stop)"
      fi
      if out="$(node_status "$(config_for "$id" "$size")")"; then
        answered=$((answered + 1))
        [[ "$(field role "$out")" == leader ]] && leader=yes
      fi
    done
    if ((answered == $#)) && [[ $need_leader == no || $leader == yes ]]; then return 0; fi
    sleep 0.5
  done
  return 1
}

cmd_start() {
  local size="${1:-3}" id running=() config
  [[ $size =~ ^[1-9]$ ]] || die "cluster size must be 1..9, got '$size'"
  require_jar
  for id in $(known_ids); do
    if live_pid "$id" >/dev/null; then running+=("$id"); fi
  done
  if ((${#running[@]} > 0)); then
    echo "cluster already running: node(s) ${running[*]}"
    # Same cluster: nothing to do. A different one: the caller must stop it first.
    if [[ -f $SIZE_FILE && "$(cat "$SIZE_FILE")" == "$size" && ${#running[@]} == "$size" ]]; then return 0; fi
    die "stop it first: scripts/cluster.sh stop"
  fi
  mkdir -p data
  if [[ $size != 3 ]]; then generate_configs "$size"; fi
  ensure_certs "$size"
  # The same cluster started again keeps its members (nodes added or removed since); a new one has N founders.
  if ! [[ -f $NODES_FILE && -f $SIZE_FILE && "$(cat "$SIZE_FILE")" == "$size" ]]; then
    seq 1 "$size" >"$NODES_FILE"
    seq 1 "$size" >"$USED_FILE"
  fi
  echo "$size" >"$SIZE_FILE"
  for id in $(member_ids); do
    config="$(config_for "$id" "$size")"
    [[ -f $config ]] || die "missing config $config"
    launch "$id" "$config"
  done
  echo "waiting up to ${START_WAIT_SECONDS}s for the nodes to answer and elect a leader..."
  if ! wait_ready leader "$size" $(member_ids); then
    print_table "$size"
    die "no leader after ${START_WAIT_SECONDS}s; see data/node*/node.log (nodes left running: scripts/cluster.sh stop)"
  fi
  print_table "$size"
}

# Sends SIGTERM to the given pids, waits, then SIGKILLs whatever is left.
terminate() {
  local pid deadline left
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  deadline=$((SECONDS + STOP_WAIT_SECONDS))
  while ((SECONDS < deadline)); do
    left=0
    for pid in "$@"; do
      if kill -0 "$pid" 2>/dev/null; then left=1; fi
    done
    ((left == 0)) && return 0
    sleep 0.2
  done
  for pid in "$@"; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "pid $pid did not stop in ${STOP_WAIT_SECONDS}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

cmd_stop() {
  local id pid pids=() ids=()
  for id in $(known_ids); do
    if pid="$(live_pid "$id")"; then
      pids+=("$pid")
      ids+=("$id")
    fi
  done
  if ((${#pids[@]} > 0)); then
    terminate "${pids[@]}"
    echo "stopped node(s) ${ids[*]}"
  else
    echo "no node running"
  fi
  rm -f data/node*/node.pid
}

cmd_status() {
  local size
  if [[ ! -f $SIZE_FILE ]]; then
    echo "no cluster has been started here"
    return 0
  fi
  size="$(cluster_size)"
  print_table "$size"
}

# The live view, started at the first running member; it follows the others if that one goes down.
cmd_top() {
  local size id
  require_jar
  [[ -f $SIZE_FILE ]] || die "no cluster has been started here"
  size="$(cluster_size)"
  for id in $(member_ids); do
    live_pid "$id" >/dev/null || continue
    exec java -jar "$JAR" top --server "$(client_address_of "$(config_for "$id" "$size")")"
  done
  die "no member is running"
}

cmd_kill() {
  local id="$1" pid
  check_id "$id"
  pid="$(live_pid "$id")" || die "node $id is not running"
  kill -KILL "$pid"
  echo "killed node $id (pid $pid)"
}

cmd_restart() {
  local id="$1" size pid config
  check_id "$id"
  require_jar
  size="$(cluster_size)"
  is_member "$id" || die "node $id is not a member of this cluster (members: $(member_ids | paste -sd, -))"
  config="$(config_for "$id" "$size")"
  if pid="$(live_pid "$id")"; then
    terminate "$pid"
    echo "stopped node $id (pid $pid)"
  fi
  launch "$id" "$config"
  wait_ready no "$size" "$id" || die "node $id does not answer after ${START_WAIT_SECONDS}s; see data/node$id/node.log"
  print_table "$size"
}

# Runs a member command at a running member other than $1 (the node being removed may be the leader; any member
# forwards a change to the leader).
member_cmd() {
  local except="$1" size id
  shift
  size="$(cluster_size)"
  for id in $(member_ids); do
    [[ $id == "$except" ]] && continue
    live_pid "$id" >/dev/null || continue
    java -jar "$JAR" member "$@" --server "$(client_address_of "$(config_for "$id" "$size")")" --timeout-ms 10000
    return
  done
  die "no other member is running to carry out: member $*"
}

next_id() {
  local used
  used="$( (cat "$USED_FILE" 2>/dev/null || true; member_ids) | sort -n | tail -n 1)"
  echo $((used + 1))
}

cmd_add() {
  local id="${1:-}" size
  require_jar
  size="$(cluster_size)"
  [[ -n $id ]] || id="$(next_id)"
  check_id "$id"
  if grep -qx "$id" "$USED_FILE" 2>/dev/null || is_member "$id"; then
    die "id $id was used in this cluster before; ids are never reused (try: scripts/cluster.sh add $(next_id))"
  fi
  [[ -e data/node$id ]] && die "data/node$id exists; move it away or choose another id"
  generate_joiner_config "$id"
  "$ROOT/scripts/gen-certs.sh" "$id" >/dev/null || die "could not create the certificate of node $id (needs openssl)"
  echo "$id" >>"$USED_FILE"
  launch "$id" "data/conf/node$id.json"
  wait_ready no "$size" "$id" || die "node $id does not answer after ${START_WAIT_SECONDS}s; see data/node$id/node.log"
  member_cmd "$id" add-learner "$id" "127.0.0.1:$((7100 + id))" "127.0.0.1:$((7200 + id))" ||
    die "could not add node $id as a learner; it still runs (pid $(live_pid "$id" || echo -))"
  echo "$id" >>"$NODES_FILE"
  member_cmd "$id" promote "$id" --wait-ms 120000 ||
    die "node $id is a learner but was not promoted; retry: java -jar $JAR member promote $id"
  print_table "$size"
}

cmd_remove() {
  local id="$1" size pid
  check_id "$id"
  require_jar
  size="$(cluster_size)"
  is_member "$id" || die "node $id is not a member of this cluster (members: $(member_ids | paste -sd, -))"
  member_cmd "$id" remove "$id" || die "could not remove node $id"
  grep -vx "$id" "$NODES_FILE" >"$NODES_FILE.tmp" || true
  mv "$NODES_FILE.tmp" "$NODES_FILE"
  if pid="$(live_pid "$id")"; then
    terminate "$pid"
    echo "stopped node $id (pid $pid); its data stays in data/node$id"
  fi
  rm -f "$(pid_file "$id")"
  print_table "$size"
}

cmd_replace() {
  local id="$1" pid
  check_id "$id"
  require_jar
  if pid="$(live_pid "$id")"; then
    terminate "$pid"
    echo "stopped node $id (pid $pid)"
  fi
  cmd_remove "$id"
  cmd_add ""
}

main() {
  local command="${1:-help}"
  case "$command" in
    start) cmd_start "${2:-3}" ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    top) cmd_top ;;
    kill) cmd_kill "${2:-}" ;;
    restart) cmd_restart "${2:-}" ;;
    add) cmd_add "${2:-}" ;;
    remove) cmd_remove "${2:-}" ;;
    replace) cmd_replace "${2:-}" ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
