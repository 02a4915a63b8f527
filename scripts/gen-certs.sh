#!/usr/bin/env bash
# Creates a cluster CA and one certificate per node with the openssl CLI, for mTLS between raftnode nodes.
#
#   scripts/gen-certs.sh [--force] [--dir DIR] [--san I=NAME[,NAME...]]... [N]
#
# --san adds host names and IP addresses to node I's certificate (each NAME that looks like an IPv4 or IPv6
# address becomes an IP SAN, any other a DNS SAN), for nodes on their own hosts: every node dials the others by
# the addresses in their configs, and checks those against the certificates. A node named with --san gets a new
# certificate even if it has one.
#
# Writes to DIR (default conf/tls/ under the repository root):
#   ca.crt, ca.key             the cluster CA (kept unless --force)
#   nodeI.crt, nodeI.key       for I = 1..N (default 3): SAN IP:127.0.0.1, DNS:localhost, URI:raftnode://node/I
#   client.crt, client.key     a client certificate without a node identity, for the CLI when the client port
#                              requires client certificates
# Existing node and client files are kept, so the script can be rerun to add nodes; --force regenerates everything.
# Keys are EC P-256 in PKCS#8 PEM, readable only by the owner. Never commit DIR (it is git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/conf/tls"
FORCE=no
COUNT=3
DAYS=825
declare -A EXTRA_SANS=()

die() {
  echo "gen-certs.sh: $*" >&2
  exit 1
}

while (($# > 0)); do
  case "$1" in
    --force) FORCE=yes ;;
    --dir)
      (($# > 1)) || die "--dir needs a directory"
      DIR="$2"
      shift
      ;;
    --san)
      (($# > 1)) || die "--san needs I=NAME[,NAME...]"
      [[ $2 =~ ^([1-9][0-9]{0,3})=([A-Za-z0-9.:,_-]+)$ ]] || die "--san must look like 2=10.0.0.2,node2.example.com, got '$2'"
      EXTRA_SANS[${BASH_REMATCH[1]}]="${EXTRA_SANS[${BASH_REMATCH[1]}]:+${EXTRA_SANS[${BASH_REMATCH[1]}]},}${BASH_REMATCH[2]}"
      shift
      ;;
    -h | --help)
      sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      [[ $1 =~ ^[1-9][0-9]{0,3}$ ]] || die "node count must be a positive integer, got '$1'"
      COUNT="$1"
      ;;
  esac
  shift
done

command -v openssl >/dev/null || die "openssl not found; install it (e.g. apt-get install -y openssl)"
mkdir -p "$DIR"
umask 077
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

new_key() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

# Signs a certificate for key $1 with subject $2 and the extensions in file $3, writing $4.
sign() {
  openssl req -new -key "$1" -subj "$2" -out "$WORK/req.csr"
  openssl x509 -req -in "$WORK/req.csr" -CA "$DIR/ca.crt" -CAkey "$DIR/ca.key" -CAcreateserial \
    -CAserial "$WORK/ca.srl" -days "$DAYS" -sha256 -extfile "$3" -out "$4" 2>/dev/null
}

if [[ $FORCE == yes || ! -f $DIR/ca.crt || ! -f $DIR/ca.key ]]; then
  new_key "$DIR/ca.key"
  openssl req -x509 -new -key "$DIR/ca.key" -subj "/CN=raftnode cluster CA" -days "$DAYS" -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$DIR/ca.crt"
  FORCE=yes # a new CA invalidates every certificate signed by the old one
  echo "created CA $DIR/ca.crt"
fi

# The SAN list for node $1: loopback for a local cluster, then the names given with --san.
sans_of() {
  local list="IP:127.0.0.1,DNS:localhost" name
  local IFS=,
  for name in ${EXTRA_SANS[$1]:-}; do
    if [[ $name =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ || $name == *:* ]]; then list+=",IP:$name"; else list+=",DNS:$name"; fi
  done
  echo "$list,URI:raftnode://node/$1"
}

for i in "${!EXTRA_SANS[@]}"; do ((i <= COUNT)) || COUNT=$i; done

for ((i = 1; i <= COUNT; i++)); do
  [[ $FORCE == no && -z ${EXTRA_SANS[$i]:-} && -f $DIR/node$i.crt && -f $DIR/node$i.key ]] && continue
  cat >"$WORK/node.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=$(sans_of "$i")
EXT
  new_key "$DIR/node$i.key"
  sign "$DIR/node$i.key" "/CN=node-$i" "$WORK/node.ext" "$DIR/node$i.crt"
  echo "created $DIR/node$i.crt (raftnode://node/$i)"
done

if [[ $FORCE == yes || ! -f $DIR/client.crt || ! -f $DIR/client.key ]]; then
  cat >"$WORK/client.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
EXT
  new_key "$DIR/client.key"
  sign "$DIR/client.key" "/CN=raftnode client" "$WORK/client.ext" "$DIR/client.crt"
  echo "created $DIR/client.crt"
fi
# Certificates are public; only the keys stay private.
chmod 644 "$DIR"/*.crt
