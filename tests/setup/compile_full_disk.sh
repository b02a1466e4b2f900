#!/usr/bin/env bash
# `pangea compile` onto a full disk (a 64 KiB tmpfs): a clear error, exit 2, and
# the previous list left whole. Needs root for the mount; skipped otherwise.
set -euo pipefail
SOURCE_DIR="$1"
pangea="$SOURCE_DIR/build/bin/pangea"
work="$(mktemp -d)"
mounted=0
cleanup() {
  if [ "$mounted" -eq 1 ]; then umount "$work/disk" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/disk"
if ! mount -t tmpfs -o size=64k tmpfs "$work/disk" 2>/dev/null; then
  echo "skipped: cannot mount a tmpfs here (not root)"
  exit 77
fi
mounted=1
printf 'cheap-pills.example\n' >"$work/small.txt"
"$pangea" compile -o "$work/disk/fr.pbl" "$work/small.txt" 2>/dev/null
before="$(sha256sum <"$work/disk/fr.pbl")"
# A list too large for what is left on the disk.
python3 -c "
for i in range(200000): print(f'name{i}-cheap-pills.example')" >"$work/big.txt"
set +e
out="$("$pangea" compile -o "$work/disk/fr.pbl" "$work/big.txt" 2>&1)"
status=$?
set -e
[ "$status" -eq 2 ] || { echo "FAIL: exit $status, expected 2: $out"; exit 1; }
echo "$out" | grep -q "No space left on device" || { echo "FAIL: unclear message: $out"; exit 1; }
[ "$(sha256sum <"$work/disk/fr.pbl")" = "$before" ] || { echo "FAIL: the previous list changed"; exit 1; }
leftovers="$(find "$work/disk" -type f ! -name fr.pbl | wc -l)"
[ "$leftovers" -eq 0 ] || { echo "FAIL: temporary files left behind"; ls -la "$work/disk"; exit 1; }
"$pangea" verify "$work/disk/fr.pbl" >/dev/null || { echo "FAIL: previous list no longer verifies"; exit 1; }
echo "ok"
