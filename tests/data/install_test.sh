#!/usr/bin/env bash
# `cmake --install` into a temporary prefix puts bin/llmcal and
# share/llmcal/data there, and the installed llmcal finds that data from any
# working directory, with no LLMCAL_DATA and no repository beside it.
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build_dir=$1
prefix=$(mktemp -d "${TMPDIR:-/tmp}/llmcal-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
test -x "$prefix/bin/llmcal" || { echo "no $prefix/bin/llmcal" >&2; exit 1; }
test -f "$prefix/share/llmcal/data/manifest.toml" || { echo "no data in $prefix/share/llmcal/data" >&2; exit 1; }
out=$(cd / && env -u LLMCAL_DATA "$prefix/bin/llmcal" data verify)
echo "$out"
[[ $out == "$prefix/share/llmcal/data: "* ]] || { echo "verified another folder than the installed one" >&2; exit 1; }
(cd / && env -u LLMCAL_DATA "$prefix/bin/llmcal" tasks | grep -q '^arc_easy ') || {
  echo "the installed llmcal did not find its tasks" >&2; exit 1; }
