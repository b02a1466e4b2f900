#!/usr/bin/env bash
# Every C++ source follows .clang-format (formatting is checked, not argued about).
set -euo pipefail
cd "$1"
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if ! out="$(clang-format --dry-run --Werror "${files[@]}" 2>&1)"; then
  echo "FAIL: files not formatted (run clang-format -i on them):"
  echo "$out" | grep -o '^[^:]*:' | sort -u
  exit 1
fi
echo "ok"
