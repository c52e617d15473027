#!/usr/bin/env bash
# The main job: a calibration study of one pretrained (PT) / instruction-tuned
# (IT) model pair, end to end with the embedded llama.cpp engine: prompts for
# ARC-Easy, HellaSwag, MedMCQA, MMLU STEM and humanities, and PIQA in both
# prompt styles; per-token scores; confidence by continuation-sum,
# continuation-min and choice; ECE, SCE, accuracy and the other metrics with
# bootstrap intervals; and the change rate (IT - PT) / PT of each.
#
# Without models it makes two synthetic random-weight models and says loudly
# that the numbers are meaningless. Given real GGUF files it runs the real study.
# (The full study runner with its store, resumption and figures is to come; this
# is the most complete pipeline the tool has today.)
#
# Usage: scripts/demo.sh [--pt PT.gguf --it IT.gguf] [--limit N] [--data DIR] [--out DIR]
#   --limit N   items per task (default 100 with synthetic models, all with real ones)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
data=${LLMCAL_TEST_DATA:-$root/../shared/data}
out=$build/demo
pt="" it="" limit=""
while (($#)); do
  case $1 in
    --pt) pt=$2; shift 2 ;;
    --it) it=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "demo: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if { [ -n "$pt" ] && [ -z "$it" ]; } || { [ -z "$pt" ] && [ -n "$it" ]; }; then
  echo "demo: give both --pt and --it, or neither" >&2; exit 2
fi

BUILD_DIR=$build "$root/scripts/setup.sh" >/dev/null
llmcal=$build/llmcal
mkdir -p "$out"

synthetic=false
if [ -z "$pt" ]; then
  synthetic=true
  pt=$out/synthetic-pt.gguf
  it=$out/synthetic-it.gguf
  [ -f "$pt" ] || "$build/llmcal-make-model" --arch qwen2 --preset small --type f16 --seed 1 --out "$pt"
  [ -f "$it" ] || "$build/llmcal-make-model" --arch qwen2 --preset small --type f16 --seed 2 --out "$it"
  limit=${limit:-100}
fi
limit_args=()
[ -n "$limit" ] && [ "$limit" != 0 ] && limit_args=(--limit "$limit")

banner() {
  $synthetic || return 0
  echo "=================================================================="
  echo " SYNTHETIC MODELS (random weights): every number below is"
  echo " MEANINGLESS. It only shows the pipeline working. Pass real GGUF"
  echo " files with --pt and --it for the real study."
  echo "=================================================================="
}
banner

tasks=(arc_easy hellaswag medmcqa mmlu_stem mmlu_humanities piqa)
results=$out/results.csv
echo "model,task,method,metric,value,ci_lo,ci_hi" >"$results"
for role in pt it; do
  model=$pt
  [ "$role" = it ] && model=$it
  for task in "${tasks[@]}"; do
    for style in continuation choice; do
      prefix=$out/$role-$task-$style
      "$llmcal" prompts --task "$task" --data "$data" --style "$style" "${limit_args[@]}" \
        --format jsonl >"$prefix.prompts.jsonl"
      echo "[$role] $task, $style prompts: $(wc -l <"$prefix.prompts.jsonl") items"
      "$llmcal" score -m "$model" -i "$prefix.prompts.jsonl" -o "$prefix.scores.jsonl" --stats
      methods=(sum min)
      [ "$style" = choice ] && methods=(choice)
      for method in "${methods[@]}"; do
        "$llmcal" calibrate --input "$prefix.scores.jsonl" --method "$method" --bootstrap 200 \
          --format csv | awk -F, -v r="$role" -v t="$task" -v m="$method" \
          'NR > 1 && $1 == "all" {print r "," t "," m "," $2 "," $3 "," $4 "," $5}' >>"$results"
      done
    done
  done
done

echo
banner
echo "Change from PT to IT, (IT - PT) / PT in %, per task and confidence method"
echo "(PT: $pt, IT: $it)"
awk -F, '
  NR > 1 && ($4 == "ece" || $4 == "sce" || $4 == "accuracy") {
    key = $2 "," $3 "," $4; v[$1 "," key] = $5; if (!(key in seen)) { seen[key] = 1; order[n++] = key }
  }
  END {
    printf "%-16s %-7s %-9s %9s %9s %9s\n", "task", "method", "metric", "PT", "IT", "change %"
    for (i = 0; i < n; i++) {
      split(order[i], k, ","); p = v["pt," order[i]]; q = v["it," order[i]]
      change = (p == 0) ? "n/a" : sprintf("%+.2f", 100 * (q - p) / p)
      printf "%-16s %-7s %-9s %9.4f %9.4f %9s\n", k[1], k[2], k[3], p, q, change
    }
  }' "$results"
echo
echo "All metrics with 95% bootstrap intervals: $results"
banner
