#!/usr/bin/env bash
# Configuring against an Unbound tree of another version must fail with a clear
# message naming both versions (the module's struct layouts depend on it).
set -euo pipefail
SOURCE_DIR="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tree/dynlibmod"
printf '#define PACKAGE_VERSION "1.18.0"\n#define WITH_DYNLIBMODULE 1\n' >"$work/tree/config.h"
touch "$work/tree/dynlibmod/dynlibmod.h"
if cmake -S "$SOURCE_DIR" -B "$work/build" -DPANGEA_UNBOUND_TREE="$work/tree" -DPANGEA_BUILD_TESTS=OFF \
    >"$work/out.log" 2>&1; then
  echo "FAIL: configure succeeded against Unbound 1.18.0"
  exit 1
fi
# CMake folds long messages: match on the text with line breaks removed.
flat() { tr -s ' \n' ' ' <"$work/out.log"; }
flat | grep -q "is version '1.18.0', Pangea's module is written against 1.17.1" || {
  echo "FAIL: unclear message:"; cat "$work/out.log"; exit 1; }

# A tree configured without --with-dynlibmodule is refused too.
printf '#define PACKAGE_VERSION "1.17.1"\n' >"$work/tree/config.h"
rm -rf "$work/build"
if cmake -S "$SOURCE_DIR" -B "$work/build" -DPANGEA_UNBOUND_TREE="$work/tree" -DPANGEA_BUILD_TESTS=OFF \
    >"$work/out.log" 2>&1; then
  echo "FAIL: configure succeeded without the dynlib module"
  exit 1
fi
flat | grep -q "configured without --with-dynlibmodule" || {
  echo "FAIL: unclear message:"; cat "$work/out.log"; exit 1; }

# No tree at all names the command that makes one.
rm -rf "$work/build"
if cmake -S "$SOURCE_DIR" -B "$work/build" -DPANGEA_UNBOUND_TREE="$work/none" -DPANGEA_BUILD_TESTS=OFF \
    >"$work/out.log" 2>&1; then
  echo "FAIL: configure succeeded without a tree"
  exit 1
fi
flat | grep -q "Run scripts/build-unbound first" || {
  echo "FAIL: unclear message:"; cat "$work/out.log"; exit 1; }
echo "ok"
