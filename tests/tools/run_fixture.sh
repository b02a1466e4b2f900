#!/usr/bin/env bash
# Runs the real `pangea` binary on one fixture (registered per fixture by
# tests/unit/tools/CMakeLists.txt).
#
#   run_fixture.sh PANGEA good FILE   compile must succeed (exit 0), the list must
#                                     verify, and exports to text, csv and rpz must
#                                     compile back to the same entries.
#   run_fixture.sh PANGEA bad FILE    the command must exit with the status and print
#                                     the messages given in FILE.expected.
#
# FILE.expected (both modes, optional for good): "exit: N" on the first line, then
# one substring per line that stderr must contain ("stdout: TEXT" for stdout); a
# line "no-output" asserts that no OUT file was written.
# FILE.args (optional): the arguments after `pangea`, with {input} and {out}
# placeholders, {dir} for the fixture's directory and {work} for a scratch directory;
# default "compile -o {out} {input}". The command's stdin is FILE, so "-" reads it.
# FILE.setup (optional): `pangea` commands run first, one per line, same placeholders.
# FILE.after (optional): `pangea` commands run last that must exit 0 (e.g. checking
# that a refused compile left the previous OUT in place).
set -u
pangea=$1 mode=$2 input=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/out.pbl
fail() { echo "FAIL [$input]: $*" >&2; exit 1; }

args="compile -o {out} {input}"
[[ -f $input.args ]] && args=$(<"$input.args")
args=${args//\{input\}/$input}
args=${args//\{out\}/$out}
args=${args//\{dir\}/$(dirname "$input")}
args=${args//\{work\}/$work}

want_exit=0
[[ $mode == bad ]] && want_exit=1
substrings=()
stdout_substrings=()
no_output=0
if [[ -f $input.expected ]]; then
  while IFS= read -r line || [[ -n $line ]]; do
    case $line in
      "exit: "*) want_exit=${line#exit: } ;;
      no-output) no_output=1 ;;
      "stdout: "*) stdout_substrings+=("${line#stdout: }") ;;
      "") ;;
      *) substrings+=("$line") ;;
    esac
  done <"$input.expected"
fi

# Setup commands run before the fixture (e.g. compiling a --previous list).
if [[ -f $input.setup ]]; then
  while IFS= read -r line || [[ -n $line ]]; do
    [[ -z $line ]] && continue
    line=${line//\{input\}/$input}
    line=${line//\{out\}/$out}
    line=${line//\{dir\}/$(dirname "$input")}
    line=${line//\{work\}/$work}
    # shellcheck disable=SC2086
    "$pangea" $line >/dev/null 2>"$work/setup.err" || fail "setup '$line' failed: $(<"$work/setup.err")"
  done <"$input.setup"
fi
[[ -e $out ]] && out_existed=1 || out_existed=0

# shellcheck disable=SC2086
"$pangea" $args <"$input" >"$work/stdout" 2>"$work/stderr"
status=$?
[[ $status == "$want_exit" ]] || fail "exit $status, expected $want_exit; stderr:
$(<"$work/stderr")"
for s in "${substrings[@]}"; do
  grep -qF -- "$s" "$work/stderr" || fail "stderr lacks '$s'; stderr:
$(<"$work/stderr")"
done
for s in "${stdout_substrings[@]}"; do
  grep -qF -- "$s" "$work/stdout" || fail "stdout lacks '$s'; stdout:
$(<"$work/stdout")"
done
if (( no_output && !out_existed )) && [[ -e $out ]]; then fail "$out was written"; fi

# Checks after the command: `pangea` commands that must exit 0, one per line.
if [[ -f $input.after ]]; then
  while IFS= read -r line || [[ -n $line ]]; do
    [[ -z $line ]] && continue
    line=${line//\{out\}/$out}
    line=${line//\{work\}/$work}
    # shellcheck disable=SC2086
    "$pangea" $line >"$work/after.out" 2>&1 || fail "after '$line' failed: $(<"$work/after.out")"
  done <"$input.after"
fi
for leftover in "$work"/*.tmp.*; do
  [[ -e $leftover ]] && fail "a temporary file was left behind: $leftover"
done

if [[ $mode == good && $status == 0 && -f $out ]]; then
  "$pangea" verify "$out" >/dev/null 2>"$work/verify.err" || fail "verify: $(<"$work/verify.err")"
  "$pangea" export --format text "$out" >"$work/orig.txt" || fail "export text"
  for format in text csv rpz; do
    "$pangea" export --format "$format" -o "$work/export.$format" "$out" || fail "export $format"
    "$pangea" compile -q --allow-empty --format "$format" -o "$work/again.pbl" \
      "$work/export.$format" 2>"$work/again.err" || fail "recompiling the $format export: $(<"$work/again.err")"
    if [[ $format == csv ]]; then
      # CSV keeps every field: the lists must hold identical entries.
      "$pangea" diff "$out" "$work/again.pbl" >"$work/diff" 2>&1 || fail "csv round trip differs:
$(<"$work/diff")"
    else
      "$pangea" export --format text "$work/again.pbl" >"$work/again.txt"
      diff <(grep -v '^#' "$work/orig.txt" | sort) <(grep -v '^#' "$work/again.txt" | sort) \
        >"$work/diff" || fail "$format round trip differs:
$(<"$work/diff")"
    fi
  done
fi
exit 0
