#!/usr/bin/env bash
# embed_example.sh CMAKE BUILD_DIR SOURCE_DIR GENERATOR
# Installs dlc from BUILD_DIR into a temporary prefix, builds examples/embed
# against it with find_package(dlc) + dlc_add_model(), and runs the program
# and the trainer it builds.
set -eu
cmake=$1 build=$2 src=$3 gen=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/dlrt-embed-XXXXXX")
trap 'rm -rf "$work"' EXIT
"$cmake" --install "$build" --prefix "$work/prefix" >"$work/install.log"
"$cmake" -S "$src/examples/embed" -B "$work/build" -G "$gen" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.log"
"$cmake" --build "$work/build" -j 2
cd "$work/build"
./xor_embed
./xor_trainer train --data "$src/runtime/tests/data/xor" --no-progress | tail -n 1 |
  grep -x "test accuracy: 1.0000"
# The installed tree is relocatable: nothing refers back to the build tree.
if grep -rl "$build" "$work/prefix/lib/cmake" "$work/prefix/include"; then
  echo "FAIL: the install refers to the build tree" >&2
  exit 1
fi
echo "ok: embed example built against the installed dlc"
