#!/bin/sh
# Size of the compiled-list format against MARISA-trie (marisa-build, default
# settings), gzip -9 and xz -9 on the same names, plus MARISA's own lookup tool.
# usage: bench/format/compare.sh BENCH_BINARY (--names FILE | --synthetic N) [bench options]
# Needs Debian's marisa, gzip and xz-utils. Writes temporary files under $TMPDIR.
set -eu
bench=${1:?usage: compare.sh BENCH_BINARY (--names FILE | --synthetic N) [options]}
shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/format-compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$bench" "$@" --write-list "$tmp/list.pbl" --write-keys "$tmp/keys.txt"
names=$(wc -l < "$tmp/keys.txt")
per_name() { awk -v b="$1" -v n="$names" 'BEGIN { printf "%.2f", b / n }'; }
size() { wc -c < "$1"; }

# Sorted text, original label order, as a list would be shipped.
awk -F. '{ out = $NF; for (i = NF - 1; i >= 1; i--) out = out "." $i; print out }' "$tmp/keys.txt" \
  | LC_ALL=C sort > "$tmp/names.txt"
gzip -9 -c "$tmp/names.txt" > "$tmp/names.txt.gz"
xz -9 -c "$tmp/names.txt" > "$tmp/names.txt.xz"
marisa-build < "$tmp/keys.txt" > "$tmp/keys.dic" 2> /dev/null

echo
echo "size comparison ($names names, bytes per name):"
printf '  %-28s %s\n' "sorted text" "$(per_name "$(size "$tmp/names.txt")")"
printf '  %-28s %s\n' "pangea (.pbl)" "$(per_name "$(size "$tmp/list.pbl")")"
printf '  %-28s %s\n' "marisa-build (default)" "$(per_name "$(size "$tmp/keys.dic")")"
printf '  %-28s %s\n' "gzip -9 (sorted text)" "$(per_name "$(size "$tmp/names.txt.gz")")"
printf '  %-28s %s\n' "xz -9 (sorted text)" "$(per_name "$(size "$tmp/names.txt.xz")")"
