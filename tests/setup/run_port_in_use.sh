#!/usr/bin/env bash
# ./run refuses a port that is already taken, with exit status 2 and a message
# naming the port, before starting anything.
set -euo pipefail
SOURCE_DIR="$1"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
python3 -c "
import socket, time, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', $port))
t = socket.socket(); t.bind(('127.0.0.1', $port)); t.listen()
time.sleep(20)" &
holder=$!
trap 'kill $holder 2>/dev/null || true' EXIT
sleep 0.5
set +e
out="$("$SOURCE_DIR/run" --no-build --port "$port" 2>&1)"
status=$?
set -e
if [ "$status" -ne 2 ]; then echo "FAIL: exit $status, expected 2: $out"; exit 1; fi
echo "$out" | grep -q "$port" || { echo "FAIL: message does not name the port: $out"; exit 1; }
echo "$out" | grep -qi "in use" || { echo "FAIL: message does not say 'in use': $out"; exit 1; }
echo "ok"
