#!/usr/bin/env bash
# What the store costs: `llmcal run` (score into a fresh SQLite store, one
# transaction per block) against `llmcal prompts | llmcal score` (the same
# items scored to JSONL), side by side in one run, interleaved and repeated,
# on the same items with the same threads. Both sides include loading the
# task and the model. Then the store's size per item and per continuation
# token. Models: stories260K on HellaSwag, and (N_QWEN > 0) the synthetic
# Qwen2.5-0.5B-shape Q8_0 model on fewer items.
#
# Usage: bench/study/run_vs_score.sh
#   THREADS=2 N_STORIES=2000 N_QWEN=200 REPEATS=3 STYLE=continuation   (defaults; N_*=0 skips)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
data=${LLMCAL_DATA:-$root/data}
threads=${THREADS:-2}
n_stories=${N_STORIES:-2000}
n_qwen=${N_QWEN:-200}
repeats=${REPEATS:-3}
style=${STYLE:-continuation}

BUILD_DIR=$build "$root/scripts/setup.sh" >/dev/null
work=$build/bench-study
mkdir -p "$work"
llmcal=$build/llmcal

# timed COMMAND...: runs the command (a function), prints "wall cpu" in
# seconds, cpu = user + system of every process it ran. On a shared machine
# the CPU seconds are the steadier measure.
timed() {
  local TIMEFORMAT='%R %U %S' t
  t=$({ time "$@" >/dev/null 2>&1; } 2>&1)
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' <<<"$t"
}

score_side() {  # model items
  "$llmcal" prompts --task hellaswag --data "$data" --limit "$2" --style "$style" --format jsonl |
    "$llmcal" score -m "$1" -t "$threads" -o "$work/scores.jsonl"
}

run_side() {  # model items
  rm -f "$work/study.sqlite" "$work/study.sqlite-wal" "$work/study.sqlite-shm"
  "$llmcal" run --model "bench=$1" --task hellaswag --data "$data" --limit "$2" \
    --style "$style" -t "$threads" --db "$work/study.sqlite" --quiet >/dev/null
}

median() { sort -g | sed -n "$(((repeats + 1) / 2))p"; }

# bench NAME MODEL ITEMS: each repeat, then medians and their ratios.
bench() {
  local name=$1 model=$2 n=$3 i s r
  local -a score_wall=() score_cpu=() run_wall=() run_cpu=()
  for ((i = 1; i <= repeats; i++)); do
    read -r s_wall s_cpu < <(timed score_side "$model" "$n")
    read -r r_wall r_cpu < <(timed run_side "$model" "$n")
    score_wall+=("$s_wall") score_cpu+=("$s_cpu") run_wall+=("$r_wall") run_cpu+=("$r_cpu")
    printf '%-14s %5d  repeat %d  prompts|score %7.2f items/s %7.2f cpu-s   run %7.2f items/s %7.2f cpu-s\n' \
      "$name" "$n" "$i" "$(echo "$n / $s_wall" | bc -l)" "$s_cpu" "$(echo "$n / $r_wall" | bc -l)" "$r_cpu"
  done
  local sw sc rw rc
  sw=$(printf '%s\n' "${score_wall[@]}" | median)
  sc=$(printf '%s\n' "${score_cpu[@]}" | median)
  rw=$(printf '%s\n' "${run_wall[@]}" | median)
  rc=$(printf '%s\n' "${run_cpu[@]}" | median)
  printf '%-14s %5d  median    prompts|score %7.2f items/s %7.2f cpu-s   run %7.2f items/s %7.2f cpu-s   run/score: items/s x%.3f, cpu-s x%.3f\n' \
    "$name" "$n" "$(echo "$n / $sw" | bc -l)" "$sc" "$(echo "$n / $rw" | bc -l)" "$rc" \
    "$(echo "$sw / $rw" | bc -l)" "$(echo "$rc / $sc" | bc -l)"
  local bytes tokens
  bytes=$(stat -c %s "$work/study.sqlite")
  tokens=$(grep -o '"n_tokens":[0-9]*' "$work/scores.jsonl" | awk -F: '{t += $2} END {print t}')
  printf '%-14s %5d  store %d bytes: %.1f bytes/item, %.2f bytes/continuation token (%d tokens); scores JSONL %d bytes\n' \
    "$name" "$n" "$bytes" "$(echo "$bytes / $n" | bc -l)" "$(echo "$bytes / $tokens" | bc -l)" \
    "$tokens" "$(stat -c %s "$work/scores.jsonl")"
}

echo "threads=$threads style=$style repeats=$repeats ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg));" \
  "items/s include task and model loading"
if ((n_stories > 0)); then
  bench stories260K "$data/models/stories260K.gguf" "$n_stories"
fi
if ((n_qwen > 0)); then
  qwen=$work/qwen2.5-0.5b-q8_0.gguf
  [ -f "$qwen" ] || "$build/llmcal-make-model" --arch qwen2 --preset qwen2.5-0.5b --type q8_0 \
    --seed 1 --out "$qwen"
  bench qwen2.5-0.5b "$qwen" "$n_qwen"
fi
