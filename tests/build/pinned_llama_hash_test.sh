#!/usr/bin/env bash
# A llama.cpp tree that is not the pinned release stops the configure step with
# a message giving the expected and the found git tree hash.
# Usage: pinned_llama_hash_test.sh SOURCE_DIR
set -euo pipefail
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fake=$work/build/_deps/llama.cpp
mkdir -p "$fake"
git -C "$fake" init -q
echo "not llama.cpp" >"$fake/README.md"
git -C "$fake" add README.md
git -C "$fake" -c user.name=t -c user.email=t@t commit -qm fake
found=$(git -C "$fake" rev-parse 'HEAD^{tree}')

if cmake -S "$src" -B "$work/build" -G Ninja >"$work/log" 2>&1; then
  echo "FAIL: configure accepted a llama.cpp tree that is not the pinned release"
  exit 1
fi
for want in "expected git tree hash fd570ef54b10ec5fecb739e7e04c8ce44a6f415a" "found                  $found"; do
  if ! grep -qF "$want" "$work/log"; then
    echo "FAIL: the configure error does not say '$want':"
    cat "$work/log"
    exit 1
  fi
done
echo "1 passed, 0 failed"
