#!/usr/bin/env bash
# When Debian's source package cannot be fetched, scripts/build-unbound says so
# and fails, instead of building something else. apt-get is replaced on PATH by
# one that fails like an unreachable archive would.
set -euo pipefail
SOURCE_DIR="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/repo/scripts"
cp "$SOURCE_DIR/scripts/build-unbound" "$work/repo/scripts/"
cat >"$work/bin/apt-get" <<'STUB'
#!/bin/sh
echo "E: Unable to find a source package for unbound" >&2
exit 100
STUB
# apt-cache claims the deb-src entries exist, so nothing under /etc is touched.
cat >"$work/bin/apt-cache" <<'STUB'
#!/bin/sh
echo "Version: 1.17.1-2+deb12u4"
STUB
chmod +x "$work/bin/apt-get" "$work/bin/apt-cache"
set +e
out="$(PATH="$work/bin:$PATH" "$work/repo/scripts/build-unbound" 2>&1)"
status=$?
set -e
if [ "$status" -eq 0 ]; then echo "FAIL: build-unbound succeeded: $out"; exit 1; fi
echo "$out" | grep -q "apt-get source unbound' failed" || { echo "FAIL: unclear message: $out"; exit 1; }
echo "ok"
