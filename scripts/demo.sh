#!/usr/bin/env bash
# The main job: a whole calibration study end to end with the embedded
# llama.cpp engine (`llmcal demo`). Offline it is a known-answer study:
# stories260K, a real trained tiny model, against its own copy with output
# logits x2 (the same network at temperature 1/2), on ARC-Easy, HellaSwag,
# MedMCQA, MMLU (and its four groups) and PIQA, both prompt styles,
# continuation-sum, continuation-min and choice. The study must find
# calibration error up on every task; it says so, and that these tiny models'
# numbers mean nothing about real language models. With real GGUF files it is
# the real study of one pair:
#
#   scripts/demo.sh [--base BASE.gguf --instruct INSTRUCT.gguf] [--sample N]
#                   [--data DIR] [--out DIR] [--bootstrap N] [--quiet]
#
# It sets up what is missing (packages, pinned llama.cpp, build), keeps its
# store in build/demo (a rerun resumes and scores nothing twice) and ends
# with the paths of the tables and the HTML report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
case ${1:-} in -h|--help) sed -n '2,17p' "$0"; exit 0 ;; esac
BUILD_DIR=$build "$root/scripts/setup.sh" >/dev/null
# The repository's data/, unless LLMCAL_DATA or --data names another folder.
export LLMCAL_DATA=${LLMCAL_DATA:-$root/data}
exec "$build/llmcal" demo --out "$build/demo" "$@"
