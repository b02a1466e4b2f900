#!/usr/bin/env bash
# ./run --port P --forward ADDR@PORT --list FILE.pbl: Unbound with the module on
# 127.0.0.1:P enforces the list and forwards everything else to a real nsd.
# Uses the build in build/ (./test builds it first).
set -euo pipefail
SOURCE_DIR="$1"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

nsd_port="$(free_port)"
run_port="$(free_port)"
mkdir -p "$work/zones"
for zone in test example; do
  { printf '$ORIGIN %s.\n$TTL 3600\n' "$zone"; cat "$SOURCE_DIR/tests/integration/zones/$zone.zone"; } \
    >"$work/zones/$zone.zone"
done
cat >"$work/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@$nsd_port
  port: $nsd_port
  do-ip6: no
  server-count: 1
  username: ""
  chroot: ""
  database: ""
  zonesdir: "$work/zones"
  zonelistfile: "$work/zone.list"
  xfrdfile: "$work/xfrd.state"
  xfrdir: "$work"
  pidfile: "$work/nsd.pid"
  logfile: "$work/nsd.log"
remote-control:
  control-enable: no
zone:
  name: "test."
  zonefile: "test.zone"
zone:
  name: "example."
  zonefile: "example.zone"
CONF
/usr/sbin/nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
pids+=($!)

printf 'cheap-pills.example\n' >"$work/list.txt"
"$SOURCE_DIR/build/bin/pangea" compile -o "$work/fr.pbl" "$work/list.txt" 2>/dev/null

"$SOURCE_DIR/run" --no-build --port "$run_port" --forward "127.0.0.1@$nsd_port" \
  --list "$work/fr.pbl" >"$work/run.out" 2>&1 &
pids+=($!)

# Wait (bounded) until the forwarded name answers.
answer=""
for _ in $(seq 1 100); do
  answer="$(dig +short +time=1 +tries=1 @127.0.0.1 -p "$run_port" www.test A 2>/dev/null || true)"
  [ "$answer" = "192.0.2.1" ] && break
  sleep 0.1
done
if [ "$answer" != "192.0.2.1" ]; then
  echo "FAIL: www.test via ./run answered '$answer'"; tail -20 "$work/run.out"; tail -5 "$work/nsd.out"
  exit 1
fi
blocked="$(dig +time=2 +tries=1 @127.0.0.1 -p "$run_port" www.cheap-pills.example A)"
# The list's settings come from conf/pangea.yaml's first list (redirect to 192.0.2.10).
if ! echo "$blocked" | grep -q "192.0.2.10" || ! echo "$blocked" | grep -q "EDE: 16"; then
  echo "FAIL: www.cheap-pills.example was not enforced:"; echo "$blocked"; exit 1
fi
direct="$(dig +short +time=2 +tries=1 @127.0.0.1 -p "$nsd_port" www.cheap-pills.example A)"
[ "$direct" = "198.51.100.7" ] || { echo "FAIL: nsd itself answered '$direct'"; exit 1; }
echo "ok"
