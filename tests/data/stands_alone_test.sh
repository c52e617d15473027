#!/usr/bin/env bash
# Fails when any tracked file names the folder that exists only beside our
# own checkouts (dot-dot, slash, "shared"): a clone must stand alone, and CI
# has such a folder beside its clone, so a test that read it would pass there.
# Usage: stands_alone_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
pattern='\.\./sha''red'  # split so that this file does not name it
if ! git -C "$source_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "stands_alone_test: $source_dir is not a git checkout; nothing to check" >&2
  exit 0
fi
matches=$(git -C "$source_dir" grep -n -I -E "$pattern" -- . || true)
if [[ -n $matches ]]; then
  echo "tracked files name the folder beside the checkout; use the repository's data/:" >&2
  echo "$matches" >&2
  exit 1
fi
echo "no tracked file names it"
