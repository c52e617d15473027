#!/usr/bin/env bash
# A study split over a Slurm job array: one `llmcal run --shard I/N` per array
# task, each into its own store, then a merge job that runs once every shard
# has finished (afterok). Run it on the login node:
#
#   examples/slurm-array.sh              # submits N shard jobs and the merge job
#   examples/slurm-array.sh retry 3,5    # resubmits shards 3 and 5, then a new merge
#
# A shard resumes where it stopped: a preempted task requeues (--requeue) and
# reruns the same command, which scores only what its store lacks. Before a
# time limit, Slurm's SIGTERM (--signal) makes llmcal commit the block in
# flight and exit 130; the merge then waits forever (afterok), so cancel it
# and `retry` the shards that stopped: they continue, losing nothing.
#
# Edit the settings below. Keep each shard's store on a local or otherwise
# POSIX-locking file system; shards never share a store.
set -euo pipefail

# --- settings ------------------------------------------------------------------
SHARDS=${SHARDS:-8}                                  # array size N
LLMCAL=${LLMCAL:-$HOME/llmcal/build/llmcal}
DATA=${DATA:-}                                       # arc_easy/, hellaswag/, mmlu/, ...; unset:
                                                     # $LLMCAL_DATA, else the data/ of the checkout
                                                     # LLMCAL was built in (README, "Data")
OUT=${OUT:-$HOME/studies/llama2-7b}                  # shard stores and the merged store
MODELS=(--model base="$HOME/models/llama-2-7b.Q8_0.gguf"
        --model chat="$HOME/models/llama-2-7b-chat.Q8_0.gguf")
TASKS=arc_easy,hellaswag,medmcqa,mmlu,piqa
ENGINE=(--gpu-layers -1)                             # plus --threads, --batch-size, ...
SBATCH_SHARD=(--gres=gpu:1 --cpus-per-task=8 --mem=32G --time=24:00:00 --requeue
              --signal=TERM@120)
SBATCH_MERGE=(--cpus-per-task=1 --mem=8G --time=2:00:00)
# -------------------------------------------------------------------------------

self=$(readlink -f "$0")

# submit_shards INDICES: the shard jobs, then the merge job that waits for them.
submit_shards() {
  mkdir -p "$OUT/logs"
  local array
  array=$(sbatch --parsable --job-name=llmcal-shard --array="$1" \
    --output="$OUT/logs/shard-%a.log" "${SBATCH_SHARD[@]}" "$self" shard)
  sbatch --job-name=llmcal-merge --dependency=afterok:"${array%%;*}" \
    --output="$OUT/logs/merge.log" "${SBATCH_MERGE[@]}" "$self" merge
  echo "submitted shards $1 of $SHARDS (job $array) and a merge into $OUT/study.sqlite"
}

case "${1:-submit}" in
  submit)
    submit_shards "1-$SHARDS"
    ;;
  retry)
    submit_shards "${2:?which shards, e.g. 3,5}"
    ;;
  shard)
    i=${SLURM_ARRAY_TASK_ID:?run under sbatch --array}
    data=()
    if [[ -n $DATA ]]; then data=(--data "$DATA"); fi
    # srun delivers --signal's SIGTERM to llmcal itself.
    exec srun "$LLMCAL" run "${MODELS[@]}" --task "$TASKS" ${data[@]+"${data[@]}"} \
      --shard "$i/$SHARDS" --db "$OUT/shard-$i-of-$SHARDS.sqlite" \
      --summary "$OUT/logs/shard-$i.json" "${ENGINE[@]}"
    ;;
  merge)
    shards=()
    for ((i = 1; i <= SHARDS; i++)); do shards+=("$OUT/shard-$i-of-$SHARDS.sqlite"); done
    "$LLMCAL" merge --out "$OUT/study.sqlite" "${shards[@]}"
    "$LLMCAL" status --db "$OUT/study.sqlite"
    ;;
  *)
    echo "usage: $0 [submit | retry LIST | shard | merge]" >&2
    exit 2
    ;;
esac
