#!/usr/bin/env bash
# The prefix cache, side by side in one run: `llmcal score` on 5-shot MMLU
# (choice style, the first N items, `llmcal prompts --num-fewshot 5`) with
# --prefix-cache on and off, and llama.cpp's `llama-perplexity
# --multiple-choice` on the same prompts (bench/scorer/multiple_choice_tasks
# converts them), on stories260K and on the synthetic Qwen2.5-0.5B-shape Q8_0
# model. Each configuration runs REPS times, interleaved; the script prints
# every run and the medians (items/s of scoring alone, as --stats measures
# it, and of the whole command, model loading included, as wall it/s), and
# where llama-perplexity's answers differ from llmcal's on the same items
# (bench/scorer/multiple_choice_agreement: it ranks by the mean log-prob per
# token, the harness's acc by the sum).
#
# Without the cache an item's cost does not depend on its neighbours, so the
# cache-off and llama-perplexity runs may use every k-th item (N_OFF of them)
# to save time; the cache-on run always scores all N items, in order.
#
# Usage: bench/scorer/prefix_cache.sh
#   THREADS=2 N_STORIES=1000 N_QWEN=1000 N_OFF_STORIES=200 N_OFF_QWEN=100 REPS=3 REPS_QWEN=3
#   PERPLEXITY=1 (0: skip llama-perplexity)  MODELS="stories260K qwen2.5-0.5b" (which to run)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
data=${LLMCAL_TEST_DATA:-$root/data}
threads=${THREADS:-2}
n_stories=${N_STORIES:-1000}
n_qwen=${N_QWEN:-1000}
n_off_stories=${N_OFF_STORIES:-200}
n_off_qwen=${N_OFF_QWEN:-100}
reps=${REPS:-3}
reps_qwen=${REPS_QWEN:-3}
perplexity=${PERPLEXITY:-1}
models=${MODELS:-stories260K qwen2.5-0.5b}

for tool in time bc; do
  [ -x /usr/bin/$tool ] || apt-get install -y --no-install-recommends $tool >/dev/null
done

tools=$build/bench-llama-tools
if [ "$perplexity" = 1 ] && [ ! -x "$tools/bin/llama-perplexity" ]; then
  llama_src=$(sed -n 's/^LLMCAL_LLAMA_DIR:INTERNAL=//p' "$build/CMakeCache.txt")
  echo "bench: building llama-perplexity from $llama_src"
  # Same AMX guard as cmake/LlamaCpp.cmake: these machines advertise AMX but trap on it.
  cmake -S "$llama_src" -B "$tools" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_OPENSSL=OFF \
    -DCMAKE_C_FLAGS="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16" \
    -DCMAKE_CXX_FLAGS="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16" >/dev/null
  cmake --build "$tools" -t llama-perplexity >/dev/null
fi

work=$build/bench-prefix-cache
mkdir -p "$work"
qwen=$work/qwen2.5-0.5b-q8_0.gguf
[ -f "$qwen" ] || "$build/llmcal-make-model" --arch qwen2 --preset qwen2.5-0.5b --type q8_0 \
  --seed 1 --out "$qwen"

# prompts N FILE: the first N 5-shot MMLU items, choice style.
prompts() {
  "$build/llmcal" prompts --task mmlu --data "$data" --style choice --num-fewshot 5 \
    --limit "$1" --format jsonl >"$2"
}

# every_kth FILE N_OFF OUT: N_OFF items of FILE spread evenly over it.
every_kth() {
  local n k
  n=$(wc -l <"$1")
  k=$(((n + $2 - 1) / $2))
  awk -v k="$k" '(NR - 1) % k == 0' "$1" >"$3"
}

# ours NAME MODEL FILE CTX CACHE: one `llmcal score` run; prints a result line.
ours() {
  local name=$1 model=$2 file=$3 ctx=$4 cache=$5 n s log=$work/score.log
  n=$(wc -l <"$file")
  /usr/bin/time -f "%e" -o "$work/time" "$build/llmcal" score -m "$model" -i "$file" \
    -o "$work/scores-$name-$cache.jsonl" -t "$threads" -c "$ctx" --prefix-cache "$cache" \
    --stats 2>"$log"
  s=$(cat "$work/time")
  local ips tpi reused acc
  ips=$(sed -n 's/.*scored \([0-9]*\) items in \([0-9.]*\) s.*/\1 \/ \2/p' "$log" | bc -l | cut -c1-6)
  tpi=$(sed -n 's/.*evaluated \([0-9.]*\) tokens per item.*/\1/p' "$log")
  reused=$(sed -n 's/.*reused \([0-9]*\) tokens.*/\1/p' "$log")
  acc=$("$build/llmcal" calibrate --input "$work/scores-$name-$cache.jsonl" --method choice \
    --bootstrap 0 --format csv | awk -F, '$2 == "accuracy" {printf "%.2f", 100 * $3}')
  printf '%-12s %-20s %5d %10s %10.4f %9s %10s %7s\n' "$name" "llmcal cache $cache" "$n" "$ips" \
    "$(echo "$n / $s" | bc -l)" "$tpi" "$reused" "$acc"
  echo "$ips" >>"$work/ips-$name-$cache"
}

# reference NAME MODEL FILE CTX: one llama-perplexity --multiple-choice run.
reference() {
  local name=$1 model=$2 file=$3 ctx=$4 n s acc
  n=$(wc -l <"$file")
  "$build/bench/multiple_choice_tasks" "$file" "$work/tasks.bin"
  /usr/bin/time -f "%e" -o "$work/time" "$tools/bin/llama-perplexity" -m "$model" \
    -bf "$work/tasks.bin" --multiple-choice -t "$threads" -c "$ctx" -b "$ctx" >"$work/ref.log" 2>&1
  s=$(cat "$work/time")
  acc=$(sed -n 's/.*Final result: \([0-9.]*\).*/\1/p' "$work/ref.log")
  printf '%-12s %-20s %5d %10s %10.4f %9s %10s %7s\n' "$name" "llama-perplexity" "$n" "-" \
    "$(echo "$n / $s" | bc -l)" "-" "-" "${acc:--}"
  echo "$(echo "$n / $s" | bc -l)" >>"$work/ips-$name-ref"
}

median() { sort -g "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# bench NAME MODEL N N_OFF REPS CTX
bench() {
  local name=$1 model=$2 n=$3 n_off=$4 r=$5 ctx=$6
  prompts "$n" "$work/mmlu5-$name.jsonl"
  every_kth "$work/mmlu5-$name.jsonl" "$n_off" "$work/mmlu5-$name-off.jsonl"
  rm -f "$work"/ips-"$name"-*
  for ((i = 1; i <= r; i++)); do
    ours "$name" "$model" "$work/mmlu5-$name.jsonl" "$ctx" on
    ours "$name" "$model" "$work/mmlu5-$name-off.jsonl" "$ctx" off
    if [ "$perplexity" = 1 ]; then
      reference "$name" "$model" "$work/mmlu5-$name-off.jsonl" "$ctx"
    fi
  done
  if [ "$perplexity" = 1 ]; then
    # The last llama-perplexity run scored the items of the cache-off file.
    "$build/bench/multiple_choice_agreement" "$work/scores-$name-off.jsonl" "$work/ref.log" |
      sed "s/^/$name: /"
  fi
  local on off
  on=$(median "$work/ips-$name-on")
  off=$(median "$work/ips-$name-off")
  echo "$name: median items/s (scoring only) cache on $on, off $off: x$(echo "$on / $off" | bc -l | cut -c1-5)"
}

echo "threads=$threads ($(nproc) cores); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %-20s %5s %10s %10s %9s %10s %7s\n' model scorer items "items/s" "wall it/s" \
  "tok/item" reused "acc %"
# stories260K's training window is 512 tokens, shorter than 5-shot prompts:
# both scorers read them whole in a 4096-token window (llmcal would otherwise
# cut every item from the left, and cut items share no prefix).
if [[ " $models " == *" stories260K "* ]]; then
  bench stories260K "$data/models/stories260K.gguf" "$n_stories" "$n_off_stories" "$reps" 4096
fi
if [[ " $models " == *" qwen2.5-0.5b "* ]]; then
  bench qwen2.5-0.5b "$qwen" "$n_qwen" "$n_off_qwen" "$reps_qwen" 2048
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
