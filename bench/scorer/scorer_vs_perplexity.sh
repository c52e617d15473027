#!/usr/bin/env bash
# The scorer against llama.cpp's own multiple-choice scorer, side by side, in
# one run: `llama-perplexity --hellaswag` and `llmcal score` on the same
# HellaSwag items (bench/scorer/hellaswag_requests.cpp), same threads, on
# stories260K and on a synthetic Qwen2.5-0.5B-shape Q8_0 model; then
# `llama-bench -p 512 -n 0` on the 0.5B shape, this machine's practical limit.
# llama-perplexity and llama-bench are built from the same pinned llama.cpp.
#
# Usage: bench/scorer/scorer_vs_perplexity.sh
#   THREADS=2 N_STORIES=2000 N_QWEN=200 BATCH=0   (defaults; BATCH=0: the scorer's choice)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
data=${LLMCAL_DATA:-$root/data}
threads=${THREADS:-2}
n_stories=${N_STORIES:-2000}
n_qwen=${N_QWEN:-200}
batch=${BATCH:-0}

BUILD_DIR=$build "$root/scripts/setup.sh" >/dev/null
for tool in time bc; do
  [ -x /usr/bin/$tool ] || apt-get install -y --no-install-recommends $tool >/dev/null
done

llama_src=$(sed -n 's/^LLMCAL_LLAMA_DIR:INTERNAL=//p' "$build/CMakeCache.txt")
tools=$build/bench-llama-tools
if [ ! -x "$tools/bin/llama-perplexity" ] || [ ! -x "$tools/bin/llama-bench" ]; then
  echo "bench: building llama-perplexity and llama-bench from $llama_src"
  # Same AMX guard as cmake/LlamaCpp.cmake: these machines advertise AMX but trap on it.
  cmake -S "$llama_src" -B "$tools" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_OPENSSL=OFF \
    -DCMAKE_C_FLAGS="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16" \
    -DCMAKE_CXX_FLAGS="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16" >/dev/null
  cmake --build "$tools" -t llama-perplexity llama-bench >/dev/null
fi

work=$build/bench-scorer
mkdir -p "$work"
qwen=$work/qwen2.5-0.5b-q8_0.gguf
[ -f "$qwen" ] || "$build/llmcal-make-model" --arch qwen2 --preset qwen2.5-0.5b --type q8_0 \
  --seed 1 --out "$qwen"

# run NAME MODEL N: prints one result line for each scorer.
run() {
  local name=$1 model=$2 n=$3
  head -n $((6 * n)) "$data/hellaswag/hellaswag_val_full.txt" >"$work/hs-$n.txt"
  "$build/bench/hellaswag_requests" "$work/hs-$n.txt" "$n" >"$work/requests-$n.jsonl"

  /usr/bin/time -f "%e %M" -o "$work/time-ref" "$tools/bin/llama-perplexity" -m "$model" \
    -f "$work/hs-$n.txt" --hellaswag --hellaswag-tasks "$n" -t "$threads" >"$work/ref.log" 2>&1
  local ref_acc ref_s ref_kb
  ref_acc=$(grep -E "^$n\s" "$work/ref.log" | tail -1 | awk '{sub("%","",$2); print $2}')
  read -r ref_s ref_kb <"$work/time-ref"

  /usr/bin/time -f "%e %M" -o "$work/time-ours" "$build/llmcal" score -m "$model" \
    -i "$work/requests-$n.jsonl" -o "$work/scores-$n.jsonl" -t "$threads" -b "$batch" \
    --stats 2>"$work/ours.log"
  local our_acc our_s our_kb our_tps lm_eval_acc
  our_acc=$("$build/bench/hellaswag_requests" --accuracy "$work/scores-$n.jsonl")
  lm_eval_acc=$("$build/llmcal" calibrate --input "$work/scores-$n.jsonl" --method mean \
    --bootstrap 0 --format csv | awk -F, '$2 == "accuracy" {printf "%.2f", 100 * $3}')
  read -r our_s our_kb <"$work/time-ours"
  our_tps=$(sed -n 's/.*(\([0-9.]*\) tokens\/s).*/\1/p' "$work/ours.log")

  printf '%-14s %6d  %-16s %9.2f %8.1f MB %8.2f\n' "$name" "$n" "llama-perplexity" \
    "$(echo "$n / $ref_s" | bc -l)" "$(echo "$ref_kb / 1024" | bc -l)" "$ref_acc"
  printf '%-14s %6d  %-16s %9.2f %8.1f MB %8.2f   x%.2f items/s; %s tokens/s; lm-eval mean acc %s\n' \
    "$name" "$n" "llmcal score" "$(echo "$n / $our_s" | bc -l)" "$(echo "$our_kb / 1024" | bc -l)" \
    "$our_acc" "$(echo "$ref_s / $our_s" | bc -l)" "$our_tps" "$lm_eval_acc"
  echo "$our_tps" >"$work/tps-$name"
}

echo "threads=$threads batch=$batch ($(nproc) cores); items/s include model loading"
printf '%-14s %6s  %-16s %9s %11s %9s\n' model items scorer "items/s" "peak RSS" "acc %"
run stories260K "$data/models/stories260K.gguf" "$n_stories"
run qwen2.5-0.5b "$qwen" "$n_qwen"

pp=$("$tools/bin/llama-bench" -m "$qwen" -p 512 -n 0 -t "$threads" -o csv 2>/dev/null |
  awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i ~ /avg_ts/) c = i} NR == 2 {gsub("\"", "", $c); print $c}')
echo "llama-bench pp512 on qwen2.5-0.5b Q8_0: $pp tokens/s;" \
  "llmcal score evaluated $(cat "$work/tps-qwen2.5-0.5b") tokens/s =" \
  "$(echo "100 * $(cat "$work/tps-qwen2.5-0.5b") / $pp" | bc -l | cut -c1-5)% of it"
echo "model file: $(stat -c %s "$qwen") bytes"
