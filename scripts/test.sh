#!/usr/bin/env bash
# Builds llmcal if needed (scripts/setup.sh), then runs every test through ctest.
# Fixtures are the repository's own data/ (data/manifest.toml) and tests/.
# Usage: scripts/test.sh [ctest arguments, e.g. -R Calibration]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
BUILD_DIR=$build_dir "$root/scripts/setup.sh"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --timeout 900 "$@"
